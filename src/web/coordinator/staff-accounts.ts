/**
 * Staff accounts: who may sign in, with which roles. The bootstrap coordinator comes from
 * configuration (TANDEM_COORDINATOR_EMAIL / _NAME, else the policy's first coordinator) and
 * is upserted at start, so a fresh deployment always has someone who can sign in.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, StaffMember, StaffRole } from '../../../db/schema.ts';

export interface StaffInput {
  departmentId: string;
  email: string;
  name: string;
  roles: StaffRole[];
}

/** Creates the account, or adds the given roles (and the new name) to an existing one. */
export async function upsertStaff(db: Kysely<Database>, input: StaffInput): Promise<StaffMember> {
  const email = input.email.trim().toLowerCase();
  const roles = [...new Set(input.roles)].sort();
  return db
    .insertInto('staff')
    .values({ department_id: input.departmentId, email, name: input.name.trim(), roles })
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

export async function findStaffByEmail(db: Kysely<Database>, email: string): Promise<StaffMember | undefined> {
  return db.selectFrom('staff').selectAll().where('email', '=', email.trim().toLowerCase()).orderBy('created_at').limit(1).executeTakeFirst();
}

export async function findStaffById(db: Kysely<Database>, id: string): Promise<StaffMember | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Makes sure the department row exists (a fresh database has none until the first enrollment). */
async function ensureDepartment(db: Kysely<Database>, department: { id: string; name: string }): Promise<void> {
  await db.insertInto('departments').values({ id: department.id, name: department.name }).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export async function bootstrapCoordinator(
  db: Kysely<Database>,
  department: { id: string; name: string; coordinators: { name: string; email: string }[] },
  configured: { email: string; name: string } | undefined,
): Promise<StaffMember | undefined> {
  const who = configured ?? department.coordinators[0];
  if (!who) return undefined;
  await ensureDepartment(db, department);
  return upsertStaff(db, { departmentId: department.id, email: who.email, name: who.name, roles: ['coordinator'] });
}
