/**
 * Feedback in Postgres, sealed with the data key (src/security/data-encryption.ts). The
 * workflow only ever receives the row's id. Every read goes through here and is audited.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordReads, type AuditActor } from '../security/audit-log.ts';
import { open, seal, type DataKey } from '../security/data-encryption.ts';
import type { FeedbackSide } from './competency-framework.ts';
import type { FeedbackContent } from './feedback-content.ts';

/** Binds a sealed value to its cycle and author's side: it cannot be moved to another row. */
export function purposeOf(cycleId: string, role: FeedbackSide): string {
  return `feedback:${cycleId}:${role}`;
}

export interface StoredFeedback {
  id: string;
  cycleId: string;
  authorPersonId: string;
  authorRole: FeedbackSide;
  submittedAt: Date;
  content: FeedbackContent;
}

/**
 * Writes a participant's feedback and returns its id. A row left by an earlier attempt that
 * the workflow never accepted is replaced; the caller checks with the workflow first.
 */
export async function saveFeedback(
  db: Kysely<Database>,
  key: DataKey,
  args: { cycleId: string; authorPersonId: string; authorRole: FeedbackSide; content: FeedbackContent },
): Promise<string> {
  const sealed = seal(key, purposeOf(args.cycleId, args.authorRole), args.content);
  const row = await db
    .insertInto('feedback')
    .values({ cycle_id: args.cycleId, author_person_id: args.authorPersonId, author_role: args.authorRole, content: null, sealed, framework_id: args.content.frameworkId })
    .onConflict((oc) => oc.columns(['cycle_id', 'author_role']).doUpdateSet({ sealed, content: null, framework_id: args.content.frameworkId }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Removes a row the workflow refused (its window closed meanwhile), so nothing unaccepted lingers. */
export async function discardFeedback(db: Kysely<Database>, feedbackId: string): Promise<void> {
  await db.deleteFrom('feedback').where('id', '=', feedbackId).execute();
}

/** Whether a side has a stored (sealed) feedback row for the cycle: no content read, no audit. */
export async function feedbackExists(db: Kysely<Database>, cycleId: string, role: FeedbackSide): Promise<boolean> {
  const row = await db.selectFrom('feedback').select('id').where('cycle_id', '=', cycleId).where('author_role', '=', role).executeTakeFirst();
  return row !== undefined;
}

/**
 * Reads and opens feedback rows, auditing each read first. Rows written before encryption
 * (plaintext `content`, no ratings) are skipped: they hold nothing this code can interpret.
 */
export async function readFeedback(
  db: Kysely<Database>,
  key: DataKey,
  where: { cycleIds: string[]; role?: FeedbackSide; excludeIds?: string[] },
  audit: { actor: AuditActor; action: 'read-feedback' | 'aggregate-feedback'; reason: string },
): Promise<StoredFeedback[]> {
  if (where.cycleIds.length === 0) return [];
  let query = db
    .selectFrom('feedback')
    .select(['id', 'cycle_id', 'author_person_id', 'author_role', 'submitted_at', 'sealed'])
    .where('cycle_id', 'in', where.cycleIds)
    .where('sealed', 'is not', null);
  if (where.role) query = query.where('author_role', '=', where.role);
  if (where.excludeIds && where.excludeIds.length > 0) query = query.where('id', 'not in', where.excludeIds);
  const rows = await query.orderBy('submitted_at').execute();
  await recordReads(
    db,
    rows.map((r) => ({ actor: audit.actor, action: audit.action, subject: { kind: 'feedback' as const, id: r.id }, reason: audit.reason })),
  );
  return rows.map((r) => ({
    id: r.id,
    cycleId: r.cycle_id,
    authorPersonId: r.author_person_id,
    authorRole: r.author_role,
    submittedAt: r.submitted_at,
    content: open<FeedbackContent>(key, purposeOf(r.cycle_id, r.author_role), r.sealed!),
  }));
}
