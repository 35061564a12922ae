/**
 * Staff sessions, without HTTP: start one, find who holds one, end one. A session id is a
 * random 32-byte value known only to the browser; Postgres keeps its sha256, with an absolute
 * expiry and an idle timeout, and the session's own CSRF token. The cookie that carries the
 * id, and the hooks that check it, are the web's (src/web/staff/staff-auth.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { deleteExpiredSessions, deleteSession, findSession, insertSession, markSignedIn, touchSession } from '../stores/staff-store.ts';
import type { SignedInStaff } from './roles.ts';

/** A working day at most, however active. */
export const SESSION_MAX_AGE_SECONDS = 12 * 3600;
/** Signed out after this long without a request. */
export const SESSION_IDLE_SECONDS = 60 * 60;
/** last_seen_at is written at most this often, so reading a page is not a write each time. */
const TOUCH_EVERY_SECONDS = 60;

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

/** Whether a value could be a session id at all (checked before touching the database). */
export const isSessionIdShape = (id: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(id);

/** Starts a session for this staff member; returns the id to hand to the browser. */
export async function startSession(db: Kysely<Database>, staffId: string, at: Date): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await insertSession(db, {
    idHash: hashId(id),
    staffId,
    csrfToken: randomBytes(32).toString('base64url'),
    at,
    expiresAt: new Date(at.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
  });
  // The staff page shows when each person last signed in.
  await markSignedIn(db, staffId, at);
  // Expired sessions of anyone are cleared now and then, on sign-in.
  await deleteExpiredSessions(db, at);
  return id;
}

/** The staff member holding this session, or null (unknown, expired or idle too long: an expired one is deleted). */
export async function sessionStaff(db: Kysely<Database>, id: string, at: Date): Promise<SignedInStaff | null> {
  if (!isSessionIdShape(id)) return null;
  const session = await findSession(db, hashId(id));
  if (!session) return null;
  const idleUntil = session.lastSeenAt.getTime() + SESSION_IDLE_SECONDS * 1000;
  if (session.expiresAt.getTime() <= at.getTime() || idleUntil <= at.getTime()) {
    await deleteSession(db, session.idHash);
    return null;
  }
  if (at.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_SECONDS * 1000) await touchSession(db, session.idHash, at);
  return { ...session.staff, csrfToken: session.csrfToken };
}

export async function endSession(db: Kysely<Database>, id: string): Promise<void> {
  await deleteSession(db, hashId(id));
}
