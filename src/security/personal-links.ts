/**
 * The personal link in the footer of every email: it opens the person's own "My mentoring"
 * page. Signed with the same helper as every action link (action-tokens.ts), so it follows
 * whatever secret handling that helper has; bound to one person and no cycle, long-lived,
 * and read-only — it never changes anything by itself. The forms on that page carry it as
 * their bearer credential and are refused from other sites (same-origin.ts), like the
 * action pages.
 */
import { ActionTokenError, issueActionToken, verifyActionToken } from './action-tokens.ts';

/** A little over an academic year: a message kept from the start of the year still works at its end. */
export const PERSONAL_LINK_DAYS = 400;

export function issuePersonalToken(secret: string, personId: string, now: Date = new Date()): string {
  return issueActionToken(secret, { sub: personId, cyc: '', act: 'my-mentoring' }, { ttlSeconds: PERSONAL_LINK_DAYS * 86_400, now });
}

export function personalLinkUrl(publicUrl: string, secret: string, personId: string, now?: Date): string {
  return `${publicUrl}/me/${issuePersonalToken(secret, personId, now)}`;
}

export type PersonalLinkProblem = 'malformed' | 'forged' | 'expired' | 'not-personal';

export type PersonalLinkResult = { personId: string; expiresAt: Date } | { problem: PersonalLinkProblem; expiredAt?: Date };

/** Whose page this token opens, or why it opens none. */
export function verifyPersonalToken(secret: string, token: string, now: Date = new Date()): PersonalLinkResult {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return { problem: 'malformed' };
  try {
    const claims = verifyActionToken(secret, token, now);
    if (claims.act !== 'my-mentoring' || claims.cyc !== '') return { problem: 'not-personal' };
    return { personId: claims.sub, expiresAt: new Date(claims.exp * 1000) };
  } catch (error) {
    if (!(error instanceof ActionTokenError)) throw error;
    if (error.problem === 'expired') {
      // The signature was checked before the expiry, so its date can be told.
      const claims = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { exp: number };
      return { problem: 'expired', expiredAt: new Date(claims.exp * 1000) };
    }
    return { problem: error.problem };
  }
}
