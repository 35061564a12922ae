/**
 * Changing who may sign in: add a staff member, change their roles, remove them, and a
 * coordinator's choice of how department notices reach them. The staff page and
 * `tandem staff` both come here, so both check the same things and both write the audit log.
 *
 * The department always keeps a coordinator: a change that would leave none is refused. The
 * check locks the department's coordinator rows, so two coordinators removing each other at
 * the same moment from two web processes cannot both succeed.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, NoticeDelivery, StaffMember, StaffRole } from '../../db/schema.ts';
import { recordRead, type AuditActor } from '../security/audit-log.ts';
import { STAFF_ROLES } from './roles.ts';
import {
  deleteStaffMember,
  insertStaffMemberIfNew,
  listStaffMembers,
  lockCoordinatorIds,
  lockStaffMember,
  setStaffNoticeDelivery,
  setStaffRoles,
} from '../stores/staff-store.ts';

export const STAFF_EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

/** A refused change: the field it is about and why, for the form or the terminal. */
export class StaffChangeError extends Error {
  readonly field: 'email' | 'name' | 'roles' | 'staff' | 'notices';
  constructor(field: StaffChangeError['field'], reason: string) {
    super(`${field}: ${reason}`);
    this.field = field;
    this.name = 'StaffChangeError';
  }
}

export interface StaffListing {
  id: string;
  email: string;
  name: string;
  roles: StaffRole[];
  lastSignedInAt: Date | null;
  noticeDelivery: NoticeDelivery;
}

export async function listStaff(db: Kysely<Database>, departmentId: string): Promise<StaffListing[]> {
  const rows = await listStaffMembers(db, departmentId, 'name');
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, roles: r.roles, lastSignedInAt: r.last_signed_in_at, noticeDelivery: r.notice_delivery }));
}

export function checkStaffEmail(raw: string | undefined): string {
  const email = (raw ?? '').trim().toLowerCase();
  if (!email) throw new StaffChangeError('email', 'is required');
  if (email.length > 254 || !STAFF_EMAIL.test(email))
    throw new StaffChangeError('email', `must be an email address like name@example.edu (got "${raw?.trim()}")`);
  return email;
}

export function checkStaffName(raw: string | undefined): string {
  const name = (raw ?? '').trim();
  if (!name) throw new StaffChangeError('name', 'is required');
  if (name.length > 200 || /[\r\n<>]/.test(name)) throw new StaffChangeError('name', 'must be a plain name of at most 200 characters');
  return name;
}

export function checkStaffRoles(raw: readonly string[]): StaffRole[] {
  if (raw.length === 0) throw new StaffChangeError('roles', `choose at least one (${STAFF_ROLES.join(', ')})`);
  for (const r of raw)
    if (!(STAFF_ROLES as readonly string[]).includes(r)) throw new StaffChangeError('roles', `"${r}" is not one of ${STAFF_ROLES.join(', ')}`);
  return [...new Set(raw as StaffRole[])].sort();
}

const rolesText = (roles: readonly string[]) => (roles.length ? roles.join(', ') : 'none');

/** Locks the department's coordinators and refuses a change that would leave none. */
async function keepACoordinator(trx: Transaction<Database>, departmentId: string, losing: string): Promise<void> {
  const coordinators = await lockCoordinatorIds(trx, departmentId);
  if (coordinators.length === 1 && coordinators[0] === losing) {
    throw new StaffChangeError('staff', "this is the department's last coordinator; add another coordinator first");
  }
}

async function staffRow(trx: Transaction<Database>, departmentId: string, staffId: string): Promise<StaffMember> {
  const row = /^[0-9a-f-]{36}$/i.test(staffId) ? await lockStaffMember(trx, departmentId, staffId) : undefined;
  if (!row) throw new StaffChangeError('staff', 'no such staff account (removed already?)');
  return row;
}

export async function addStaff(
  db: Kysely<Database>,
  actor: AuditActor,
  input: { departmentId: string; email: string; name: string; roles: readonly string[] },
): Promise<StaffMember> {
  const email = checkStaffEmail(input.email);
  const name = checkStaffName(input.name);
  const roles = checkStaffRoles(input.roles);
  return db.transaction().execute(async (trx) => {
    const added = await insertStaffMemberIfNew(trx, { departmentId: input.departmentId, email, name, roles });
    if (!added) throw new StaffChangeError('email', `${email} already has a staff account; change its roles in the list instead`);
    await recordRead(trx, { actor, action: 'add-staff', subject: { kind: 'staff', id: added.id }, reason: `added with roles: ${rolesText(roles)}` });
    return added;
  });
}

export async function changeStaffRoles(
  db: Kysely<Database>,
  actor: AuditActor,
  departmentId: string,
  staffId: string,
  raw: readonly string[],
): Promise<StaffMember> {
  const roles = checkStaffRoles(raw);
  return db.transaction().execute(async (trx) => {
    const before = await staffRow(trx, departmentId, staffId);
    if (before.roles.includes('coordinator') && !roles.includes('coordinator')) await keepACoordinator(trx, departmentId, staffId);
    if (rolesText(before.roles) === rolesText(roles)) return before;
    const after = await setStaffRoles(trx, staffId, roles);
    await recordRead(trx, {
      actor,
      action: 'change-staff-roles',
      subject: { kind: 'staff', id: staffId },
      reason: `roles: ${rolesText(before.roles)} → ${rolesText(roles)}`,
    });
    return after;
  });
}

/** Deletes the account; its sessions and spent links go with it (on delete cascade). */
export async function removeStaff(db: Kysely<Database>, actor: AuditActor, departmentId: string, staffId: string): Promise<StaffMember> {
  return db.transaction().execute(async (trx) => {
    const before = await staffRow(trx, departmentId, staffId);
    if (before.roles.includes('coordinator')) await keepACoordinator(trx, departmentId, staffId);
    await deleteStaffMember(trx, staffId);
    await recordRead(trx, {
      actor,
      action: 'remove-staff',
      subject: { kind: 'staff', id: staffId },
      reason: `removed (had roles: ${rolesText(before.roles)})`,
    });
    return before;
  });
}

export async function setNoticeDelivery(db: Kysely<Database>, actor: AuditActor, departmentId: string, staffId: string, delivery: string): Promise<void> {
  if (delivery !== 'immediate' && delivery !== 'digest') throw new StaffChangeError('notices', 'choose "immediate" or "digest"');
  await db.transaction().execute(async (trx) => {
    const before = await staffRow(trx, departmentId, staffId);
    if (before.notice_delivery === delivery) return;
    await setStaffNoticeDelivery(trx, staffId, delivery);
    await recordRead(trx, {
      actor,
      action: 'change-staff-notices',
      subject: { kind: 'staff', id: staffId },
      reason: `notices: ${before.notice_delivery} → ${delivery}`,
    });
  });
}

/** The audit actor for a signed-in coordinator, and for `tandem staff` on a terminal. */
export const coordinatorActor = (staffId: string): AuditActor => ({ kind: 'staff', id: staffId, role: 'coordinator' });
export const CLI_ACTOR: AuditActor = { kind: 'system', id: 'tandem-cli', role: 'system' };
