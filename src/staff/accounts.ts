/**
 * Staff accounts: who may sign in, with which roles. The bootstrap coordinator comes from
 * configuration (TANDEM_COORDINATOR_EMAIL / _NAME, else the policy's first coordinator) and
 * is upserted at start, so a fresh deployment always has someone who can sign in.
 */
import type { Kysely } from 'kysely';
import type { Database, StaffMember, StaffRole } from '../../db/schema.ts';
import { ensureDepartment, findStaffMemberByEmail, findStaffMemberById, upsertStaffMember } from '../stores/staff-store.ts';

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
  return upsertStaffMember(db, { departmentId: input.departmentId, email, name: input.name.trim(), roles });
}

export async function findStaffByEmail(db: Kysely<Database>, email: string): Promise<StaffMember | undefined> {
  return findStaffMemberByEmail(db, email.trim().toLowerCase());
}

export async function findStaffById(db: Kysely<Database>, id: string): Promise<StaffMember | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return findStaffMemberById(db, id);
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
