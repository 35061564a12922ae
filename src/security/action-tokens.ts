/**
 * Signed action links: a token binds one person, one cycle and one action (and optionally
 * one step) with an expiry, signed with HMAC-SHA256 under the deployment's secret. Tokens
 * carry ids only. Single use is enforced by the web app, which records each token's id
 * (`jti`) when a state-changing action succeeds.
 *
 * The secret may be a list (TANDEM_SECRET="new,old", src/config/env.ts): the first signs,
 * every one verifies, so links already in people's inboxes keep working through a rotation.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const ACTIONS = [
  'share-expectations', // mentor
  'respond-expectations', // mentee: acknowledge or question
  'schedule-check-in', // both: pick or move a slot
  'check-in-outcome', // both: held or missed
  'update-goals', // mentee
  'review-goals', // mentor
  'give-feedback', // both
  'read-feedback', // both, after release
  'request-help', // mentee: confidential, never reaches the mentor or the workflow
  'calendar-feed', // both: private ICS feed of upcoming check-ins
  'coordinator-login', // magic link for the dashboard
  'my-mentoring', // a person's own page (src/security/personal-links.ts): read-only, no cycle
] as const;
export type Action = (typeof ACTIONS)[number];

export interface ActionClaims {
  /** Person id (or coordinator id for coordinator-login). */
  sub: string;
  /** Cycle id; empty for coordinator-login. */
  cyc: string;
  act: Action;
  /** Step id when the action is about one step ("check-in-2"). */
  stp?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Token id, for single use. */
  jti: string;
}

export type TokenProblem = 'malformed' | 'forged' | 'expired';

export class ActionTokenError extends Error {
  readonly problem: TokenProblem;
  constructor(problem: TokenProblem) {
    super(
      {
        malformed: 'This link is incomplete or damaged.',
        forged: 'This link was not issued by Tandem.',
        expired: 'This link has expired.',
      }[problem],
    );
    this.problem = problem;
    this.name = 'ActionTokenError';
  }
}

/** The secrets of a list, signing one first. */
export function secretsOf(secret: string): string[] {
  return secret.split(',');
}

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

function signedByAny(secret: string, payload: string, given: Buffer): boolean {
  return secretsOf(secret).some((one) => {
    const expected = sign(one, payload);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export function issueActionToken(
  secret: string,
  claims: { sub: string; cyc: string; act: Action; stp?: string },
  options: { ttlSeconds: number; now?: Date },
): string {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const body: ActionClaims = { ...claims, exp: now + options.ttlSeconds, jti: randomBytes(12).toString('base64url') };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${sign(secretsOf(secret)[0]!, payload).toString('base64url')}`;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function verifyActionToken(secret: string, token: string, now: Date = new Date()): ActionClaims {
  const [payload, signature, extra] = token.split('.');
  // Matched whole: base64url decoding skips characters it does not know, so "…sig%00" would verify.
  if (!payload || !signature || extra !== undefined || !BASE64URL.test(payload) || !BASE64URL.test(signature)) throw new ActionTokenError('malformed');
  if (!signedByAny(secret, payload, Buffer.from(signature, 'base64url'))) throw new ActionTokenError('forged');
  let claims: ActionClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ActionClaims;
  } catch {
    throw new ActionTokenError('malformed');
  }
  if (typeof claims.exp !== 'number' || !(ACTIONS as readonly string[]).includes(claims.act)) throw new ActionTokenError('malformed');
  if (claims.exp * 1000 <= now.getTime()) throw new ActionTokenError('expired');
  return claims;
}
