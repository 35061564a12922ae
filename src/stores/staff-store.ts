/**
 * Staff accounts and what hangs off them (sessions, login links, directory, OIDC
 * identities, notice choices), as Postgres holds them.
 */
import type { Kysely } from 'kysely';
import type { Database, NoticeDelivery } from '../../db/schema.ts';

// ── coordinators (notices) ───────────────────────────────────────────────────

/** The department's staff with the coordinator role, by email, with how they want notices. */
export async function listDepartmentCoordinators(db: Kysely<Database>, departmentId: string): Promise<{ id: string; email: string; name: string; noticeDelivery: NoticeDelivery }[]> {
  const rows = await db
    .selectFrom('staff')
    .select(['id', 'email', 'name', 'notice_delivery'])
    .where('department_id', '=', departmentId)
    .where((eb) => eb(eb.val('coordinator'), '=', eb.fn.any('roles')))
    .orderBy('email')
    .execute();
  return rows.map((s) => ({ id: s.id, email: s.email, name: s.name, noticeDelivery: s.notice_delivery }));
}
