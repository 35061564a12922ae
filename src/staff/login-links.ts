/**
 * Magic sign-in links for staff: a signed `coordinator-login` action token (15 minutes),
 * spent on first use. Spending is recorded by token id, so a link signs in once however
 * often it is opened; a participant's action token (any other action) is never a login.
 */
import type { Kysely } from 'kysely';
import type { Database, StaffMember } from '../../db/schema.ts';
import { ActionTokenError, issueActionToken, verifyActionToken } from '../security/action-tokens.ts';
import { findStaffById } from './accounts.ts';
import { deleteExpiredLoginLinks, isLoginLinkSpent, spendLoginLink } from '../stores/staff-store.ts';

export const LOGIN_LINK_TTL_SECONDS = 15 * 60;

export function loginLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/login/${token}`;
}

export function issueLoginToken(secret: string, staffId: string, options: { ttlSeconds?: number; now?: Date } = {}): string {
  return issueActionToken(
    secret,
    { sub: staffId, cyc: '', act: 'coordinator-login' },
    { ttlSeconds: options.ttlSeconds ?? LOGIN_LINK_TTL_SECONDS, now: options.now },
  );
}

export type LoginLinkProblem = 'malformed' | 'forged' | 'expired' | 'used' | 'not-a-login-link' | 'unknown-staff';

export const LOGIN_LINK_PROBLEMS: Record<LoginLinkProblem, string> = {
  malformed: 'This sign-in link is incomplete or damaged. Copy the whole link from the email, or ask for a new one.',
  forged: 'This sign-in link was not issued by Tandem. Ask for a new one below.',
  expired: 'This sign-in link has expired (links last 15 minutes). Ask for a new one below.',
  used: 'This sign-in link has already been used. Each link signs in once; ask for a new one below.',
  'not-a-login-link': 'This is not a sign-in link. Ask for a sign-in link below.',
  'unknown-staff': 'This sign-in link belongs to an account that no longer exists.',
};

export type LoginLinkCheck = { ok: true; staff: StaffMember; jti: string; expiresAt: Date } | { ok: false; problem: LoginLinkProblem };

/** Verifies a link without spending it (the confirmation page). */
export async function checkLoginToken(db: Kysely<Database>, secret: string, token: string, now = new Date()): Promise<LoginLinkCheck> {
  let claims;
  try {
    claims = verifyActionToken(secret, token, now);
  } catch (error) {
    if (error instanceof ActionTokenError) return { ok: false, problem: error.problem };
    throw error;
  }
  if (claims.act !== 'coordinator-login' || claims.cyc !== '' || typeof claims.jti !== 'string') return { ok: false, problem: 'not-a-login-link' };
  if (await isLoginLinkSpent(db, claims.jti)) return { ok: false, problem: 'used' };
  const staff = await findStaffById(db, claims.sub);
  if (!staff) return { ok: false, problem: 'unknown-staff' };
  return { ok: true, staff, jti: claims.jti, expiresAt: new Date(claims.exp * 1000) };
}

/** Verifies and spends a link; of two concurrent uses exactly one succeeds. */
export async function spendLoginToken(db: Kysely<Database>, secret: string, token: string, now = new Date()): Promise<LoginLinkCheck> {
  const check = await checkLoginToken(db, secret, token, now);
  if (!check.ok) return check;
  if (!(await spendLoginLink(db, { jti: check.jti, staffId: check.staff.id, expiresAt: check.expiresAt }))) return { ok: false, problem: 'used' };
  // Spent records outlive their links by nothing: once expired, the signature check refuses them anyway.
  await deleteExpiredLoginLinks(db, now);
  return check;
}
