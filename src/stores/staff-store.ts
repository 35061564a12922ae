/**
 * Staff data: accounts, sessions, spent sign-in links, university sign-in attempts and the
 * coordinators' notice choices. The rules (who may sign in, how long a session lasts, the last
 * coordinator) live in src/staff/; these functions only read and write the rows.
 */
import type { Database, NoticeDelivery, StaffMember, StaffRole } from '../../db/schema.ts';
import { sql, type Kysely } from 'kysely';

// ── coordinators (notices) ───────────────────────────────────────────────────

/** The department's staff with the coordinator role, by email, with how they want notices. */
export async function listDepartmentCoordinators(
  db: Kysely<Database>,
  departmentId: string,
): Promise<{ id: string; email: string; name: string; noticeDelivery: NoticeDelivery }[]> {
  const rows = await db
    .selectFrom('staff')
    .select(['id', 'email', 'name', 'notice_delivery'])
    .where('department_id', '=', departmentId)
    .where((eb) => eb(eb.val('coordinator'), '=', eb.fn.any('roles')))
    .orderBy('email')
    .execute();
  return rows.map((s) => ({ id: s.id, email: s.email, name: s.name, noticeDelivery: s.notice_delivery }));
}

// --- accounts ---

/** Inserts the account, or on a known address takes the new name and adds the roles to those it has. */
export async function upsertStaffMember(
  db: Kysely<Database>,
  row: { departmentId: string; email: string; name: string; roles: StaffRole[] },
): Promise<StaffMember> {
  return db
    .insertInto('staff')
    .values({ department_id: row.departmentId, email: row.email, name: row.name, roles: row.roles })
    .onConflict((oc) =>
      oc.columns(['department_id', 'email']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        // Keep roles granted elsewhere; add the configured ones.
        roles: sql<StaffRole[]>`array(select distinct r from unnest(staff.roles || excluded.roles) as r order by r)`,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Inserts the account unless the address already has one (then undefined). */
export async function insertStaffMemberIfNew(
  db: Kysely<Database>,
  row: { departmentId: string; email: string; name: string; roles: StaffRole[] },
): Promise<StaffMember | undefined> {
  return db
    .insertInto('staff')
    .values({ department_id: row.departmentId, email: row.email, name: row.name, roles: row.roles })
    .onConflict((oc) => oc.columns(['department_id', 'email']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The oldest account with this (already normalised) address. */
export async function findStaffMemberByEmail(db: Kysely<Database>, email: string): Promise<StaffMember | undefined> {
  return db.selectFrom('staff').selectAll().where('email', '=', email).orderBy('created_at').limit(1).executeTakeFirst();
}

export async function findStaffMemberById(db: Kysely<Database>, id: string): Promise<StaffMember | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The department's accounts, by name (the staff page) or by email (`tandem staff list`). */
export async function listStaffMembers(db: Kysely<Database>, departmentId: string, order: 'name' | 'email'): Promise<StaffMember[]> {
  const query = db.selectFrom('staff').selectAll().where('department_id', '=', departmentId);
  return (order === 'name' ? query.orderBy('name').orderBy('email') : query.orderBy('email')).execute();
}

/** Reads and locks one account of the department, for a change in the caller's transaction. */
export async function lockStaffMember(db: Kysely<Database>, departmentId: string, staffId: string): Promise<StaffMember | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', staffId).where('department_id', '=', departmentId).forUpdate().executeTakeFirst();
}

/** Locks the department's coordinators (in id order, so two lockers never deadlock) and returns their ids. */
export async function lockCoordinatorIds(db: Kysely<Database>, departmentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('staff')
    .select('id')
    .where('department_id', '=', departmentId)
    .where((eb) => eb(eb.val('coordinator'), '=', eb.fn.any('roles')))
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export async function setStaffRoles(db: Kysely<Database>, staffId: string, roles: StaffRole[]): Promise<StaffMember> {
  return db.updateTable('staff').set({ roles }).where('id', '=', staffId).returningAll().executeTakeFirstOrThrow();
}

export async function setStaffNoticeDelivery(db: Kysely<Database>, staffId: string, delivery: NoticeDelivery): Promise<void> {
  await db.updateTable('staff').set({ notice_delivery: delivery }).where('id', '=', staffId).execute();
}

/** Deletes the account; its sessions and spent links go with it (on delete cascade). */
export async function deleteStaffMember(db: Kysely<Database>, staffId: string): Promise<void> {
  await db.deleteFrom('staff').where('id', '=', staffId).execute();
}

/** Makes sure the department row exists (a fresh database has none until the first enrollment). */
export async function ensureDepartment(db: Kysely<Database>, department: { id: string; name: string }): Promise<void> {
  await db
    .insertInto('departments')
    .values({ id: department.id, name: department.name })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

// --- sessions ---

export interface StoredSession {
  idHash: string;
  csrfToken: string;
  lastSeenAt: Date;
  expiresAt: Date;
  staff: { id: string; departmentId: string; email: string; name: string; roles: StaffRole[] };
}

export async function findSession(db: Kysely<Database>, idHash: string): Promise<StoredSession | undefined> {
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff', 'staff.id', 's.staff_id')
    .select(['s.id_hash', 's.csrf_token', 's.last_seen_at', 's.expires_at', 'staff.id', 'staff.department_id', 'staff.email', 'staff.name', 'staff.roles'])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    idHash: row.id_hash,
    csrfToken: row.csrf_token,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    staff: { id: row.id, departmentId: row.department_id, email: row.email, name: row.name, roles: row.roles },
  };
}

export async function insertSession(
  db: Kysely<Database>,
  session: { idHash: string; staffId: string; csrfToken: string; at: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('staff_sessions')
    .values({
      id_hash: session.idHash,
      staff_id: session.staffId,
      csrf_token: session.csrfToken,
      created_at: session.at,
      last_seen_at: session.at,
      expires_at: session.expiresAt,
    })
    .execute();
}

export async function touchSession(db: Kysely<Database>, idHash: string, at: Date): Promise<void> {
  await db.updateTable('staff_sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('id_hash', '=', idHash).execute();
}

/** Clears everyone's sessions that expired before `at`. */
export async function deleteExpiredSessions(db: Kysely<Database>, at: Date): Promise<void> {
  await db.deleteFrom('staff_sessions').where('expires_at', '<', at).execute();
}

export async function markSignedIn(db: Kysely<Database>, staffId: string, at: Date): Promise<void> {
  await db.updateTable('staff').set({ last_signed_in_at: at }).where('id', '=', staffId).execute();
}

// --- emailed sign-in links ---

export async function isLoginLinkSpent(db: Kysely<Database>, jti: string): Promise<boolean> {
  return (await db.selectFrom('staff_login_links_used').select('jti').where('jti', '=', jti).executeTakeFirst()) !== undefined;
}

/** Records the link as spent; false when it was spent already (of two concurrent uses exactly one gets true). */
export async function spendLoginLink(db: Kysely<Database>, link: { jti: string; staffId: string; expiresAt: Date }): Promise<boolean> {
  const spent = await db
    .insertInto('staff_login_links_used')
    .values({ jti: link.jti, staff_id: link.staffId, expires_at: link.expiresAt })
    .onConflict((oc) => oc.column('jti').doNothing())
    .returning('jti')
    .executeTakeFirst();
  return spent !== undefined;
}

export async function deleteExpiredLoginLinks(db: Kysely<Database>, at: Date): Promise<void> {
  await db.deleteFrom('staff_login_links_used').where('expires_at', '<', at).execute();
}

// --- university sign-in attempts ---

export async function insertOidcLogin(
  db: Kysely<Database>,
  login: { stateHash: string; nonce: string; codeVerifier: string; next: string | null; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('staff_oidc_logins')
    .values({ state_hash: login.stateHash, nonce: login.nonce, code_verifier: login.codeVerifier, next: login.next, expires_at: login.expiresAt })
    .execute();
}

/** Deletes and returns the unexpired attempt with this state, so each state works once. */
export async function takeOidcLogin(
  db: Kysely<Database>,
  stateHash: string,
  at: Date,
): Promise<{ nonce: string; codeVerifier: string; next: string | null } | undefined> {
  const row = await db
    .deleteFrom('staff_oidc_logins')
    .where('state_hash', '=', stateHash)
    .where('expires_at', '>', at)
    .returning(['nonce', 'code_verifier', 'next'])
    .executeTakeFirst();
  return row && { nonce: row.nonce, codeVerifier: row.code_verifier, next: row.next };
}

export async function deleteExpiredOidcLogins(db: Kysely<Database>, at: Date): Promise<void> {
  await db.deleteFrom('staff_oidc_logins').where('expires_at', '<', at).execute();
}
