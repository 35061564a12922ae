/**
 * The audit log (audit_log rows): every read of confidential data (feedback content, evaluation packets,
 * help requests) is written here with who, when and why before the data is returned.
 * Staff give the reason in their request; participants' and the system's reads carry a
 * fixed reason naming the page or job.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export type AuditActor =
  | { kind: 'participant'; id: string; role: 'mentor' | 'mentee' }
  | { kind: 'staff'; id: string; role: 'coordinator' | 'evaluation' | 'resource' }
  | { kind: 'system'; id: string; role: 'system' };

export type AuditAction =
  | 'read-feedback'
  | 'aggregate-feedback'
  | 'read-packet'
  | 'export-packets-csv'
  | 'read-help-request'
  // Changes to who may sign in and to a person's record (the staff page, `tandem staff`, the person page).
  | 'add-staff'
  | 'change-staff-roles'
  | 'change-staff-notices'
  | 'remove-staff'
  | 'correct-person';

export interface AuditEntry {
  actor: AuditActor;
  action: AuditAction;
  subject: { kind: 'feedback' | 'evaluation-packet' | 'help-request' | 'staff' | 'person'; id: string };
  reason: string;
}

export class MissingReasonError extends Error {
  constructor() {
    super('reason: say why you need to read this (it is written to the audit log)');
    this.name = 'MissingReasonError';
  }
}

export async function recordReads(db: Kysely<Database>, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  for (const e of entries) if (e.reason.trim() === '') throw new MissingReasonError();
  await db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        actor_kind: e.actor.kind,
        actor_id: e.actor.id,
        actor_role: e.actor.role,
        action: e.action,
        subject_kind: e.subject.kind,
        subject_id: e.subject.id,
        reason: e.reason.trim().slice(0, 500),
      })),
    )
    .execute();
}

export function recordRead(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  return recordReads(db, [entry]);
}
