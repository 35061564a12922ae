/**
 * What participants write and read in their year: expectations, goals, check-in content,
 * feedback, pending action saves (the rows of actions whose Update outcome is not yet known),
 * help requests and IDPs, as Postgres holds them (sealed
 * columns sealed and opened here, with src/security/data-encryption.ts).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, ExpectationsTable } from '../../db/schema.ts';
import type { FeedbackSide } from '../evaluation/competency-framework.ts';
import type { FeedbackContent } from '../evaluation/feedback-content.ts';
import { open, seal, type DataKey } from '../security/data-encryption.ts';
import { recordReads, type AuditActor } from './audit-store.ts';

// ── expectations ─────────────────────────────────────────────────────────────

/** Where the latest expectations say the pair meets (nulls when there are none yet). */
export async function findMeetingPlace(db: Kysely<Database>, cycleId: string): Promise<{ meetingFormat: string | null; meetingLocation: string | null }> {
  const e = await db
    .selectFrom('expectations')
    .select(['meeting_format', 'meeting_location'])
    .where('cycle_id', '=', cycleId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { meetingFormat: e?.meeting_format ?? null, meetingLocation: e?.meeting_location ?? null };
}

/** The latest version of the pair's expectations, as stored. */
export async function latestExpectations(db: Kysely<Database>, cycleId: string) {
  return db.selectFrom('expectations').selectAll().where('cycle_id', '=', cycleId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export interface NewExpectations {
  cycleId: string;
  authorPersonId: string;
  version: number;
  cadenceDays: number;
  localTime: string;
  format: ExpectationsTable['meeting_format'];
  location: string | null;
  responseTimeNorms: string;
  workLifeBoundaries: string;
  leaveContingencies: string;
  other: string | null;
}

export async function insertExpectations(db: Kysely<Database>, e: NewExpectations): Promise<{ id: string; version: number }> {
  return db
    .insertInto('expectations')
    .values({
      cycle_id: e.cycleId,
      author_person_id: e.authorPersonId,
      version: e.version,
      meeting_cadence_days: e.cadenceDays,
      meeting_local_time: e.localTime,
      meeting_format: e.format,
      meeting_location: e.location,
      response_time_norms: e.responseTimeNorms,
      work_life_boundaries: e.workLifeBoundaries,
      leave_contingencies: e.leaveContingencies,
      other_expectations: e.other,
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
}

export async function deleteExpectations(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('expectations').where('id', '=', id).execute();
}

/** The mentee's questions about one version, oldest first. */
export async function expectationQuestions(db: Kysely<Database>, expectationsId: string): Promise<{ message: string | null; createdAt: Date }[]> {
  const rows = await db
    .selectFrom('expectation_responses')
    .select(['message', 'created_at'])
    .where('expectations_id', '=', expectationsId)
    .where('kind', '=', 'questioned')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ message: r.message, createdAt: r.created_at }));
}

/** When the mentee acknowledged this version, if they have. */
export async function expectationsAcknowledgedAt(db: Kysely<Database>, expectationsId: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('expectation_responses')
    .select('created_at')
    .where('expectations_id', '=', expectationsId)
    .where('kind', '=', 'acknowledged')
    .executeTakeFirst();
  return row?.created_at;
}

export async function insertExpectationResponse(
  db: Kysely<Database>,
  response: { expectationsId: string; authorPersonId: string; kind: 'acknowledged' | 'questioned'; message: string | null },
): Promise<{ id: string }> {
  return db
    .insertInto('expectation_responses')
    .values({ expectations_id: response.expectationsId, author_person_id: response.authorPersonId, kind: response.kind, message: response.message })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function deleteExpectationResponse(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('expectation_responses').where('id', '=', id).execute();
}

// ── training goals ───────────────────────────────────────────────────────────

/** The mentee's latest goals, as stored. */
export async function latestTrainingGoals(db: Kysely<Database>, cycleId: string) {
  return db.selectFrom('training_goals').selectAll().where('cycle_id', '=', cycleId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

export async function insertTrainingGoals(
  db: Kysely<Database>,
  goals: { cycleId: string; authorPersonId: string; trainingGoals: string; careerGoals: string; supportNeeded: string | null },
): Promise<{ id: string }> {
  return db
    .insertInto('training_goals')
    .values({
      cycle_id: goals.cycleId,
      author_person_id: goals.authorPersonId,
      training_goals: goals.trainingGoals,
      career_goals: goals.careerGoals,
      support_needed: goals.supportNeeded,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function deleteTrainingGoals(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('training_goals').where('id', '=', id).execute();
}

/** Sets (or, to undo, restores) the mentor's review of the goals. */
export async function setTrainingGoalsReview(
  db: Kysely<Database>,
  id: string,
  review: { mentorReview: string | null; reviewedAt: Date | null },
): Promise<void> {
  await db.updateTable('training_goals').set({ mentor_review: review.mentorReview, reviewed_at: review.reviewedAt }).where('id', '=', id).execute();
}

// ── feedback ─────────────────────────────────────────────────────────────────
// Sealed with the data key; the workflow only ever receives the row's id. Every read goes through here and is audited.

/** Binds a sealed value to its cycle and author's side: it cannot be moved to another row. */
export function feedbackPurpose(cycleId: string, role: FeedbackSide): string {
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
  const sealed = seal(key, feedbackPurpose(args.cycleId, args.authorRole), args.content);
  const row = await db
    .insertInto('feedback')
    .values({
      cycle_id: args.cycleId,
      author_person_id: args.authorPersonId,
      author_role: args.authorRole,
      content: null,
      sealed,
      framework_id: args.content.frameworkId,
    })
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
    content: open<FeedbackContent>(key, feedbackPurpose(r.cycle_id, r.author_role), r.sealed!),
  }));
}

// ── help requests ────────────────────────────────────────────────────────────
// The message sealed with the data key and bound to the row's id, so a sealed message copied
// into another row fails to open. Every read of a message is audited before it is returned.

export function helpRequestPurpose(id: string): string {
  return `help-request:${id}`;
}

/** Stores a mentee's request, sealed, and returns its id. */
export async function saveHelpRequest(
  db: Kysely<Database>,
  key: DataKey,
  args: { cycleId: string; personId: string; resourceId: string; message: string },
): Promise<string> {
  // The id is chosen here, not by the database, because the seal is bound to it.
  const id = randomUUID();
  await db
    .insertInto('help_requests')
    .values({
      id,
      cycle_id: args.cycleId,
      person_id: args.personId,
      resource_id: args.resourceId,
      message: null,
      sealed: seal(key, helpRequestPurpose(id), args.message),
    })
    .execute();
  return id;
}

export interface HelpRequestToRead {
  id: string;
  message: string | null;
  sealed: Buffer | null;
}

/**
 * Opens the messages of rows already chosen by the caller, auditing every one first. Rows
 * written before 0008 and not yet sealed after migrating carry their plaintext.
 */
export async function openHelpRequests<Row extends HelpRequestToRead>(
  db: Kysely<Database>,
  key: DataKey,
  rows: readonly Row[],
  audit: { actor: AuditActor; reason: string },
): Promise<(Omit<Row, 'message' | 'sealed'> & { message: string })[]> {
  await recordReads(
    db,
    rows.map((r) => ({ actor: audit.actor, action: 'read-help-request' as const, subject: { kind: 'help-request' as const, id: r.id }, reason: audit.reason })),
  );
  return rows.map(({ message, sealed, ...rest }) => ({ ...rest, message: sealed ? open<string>(key, helpRequestPurpose(rest.id), sealed) : (message ?? '') }));
}

/**
 * Seals the messages of rows written before 0008: run after migrating (the migrate command and
 * every process's start-up), which have the key a migration lacks. Idempotent and safe to run
 * from two processes at once; returns how many rows it sealed.
 */
export async function sealPlaintextHelpRequests(db: Kysely<Database>, key: DataKey): Promise<number> {
  const rows = await db.selectFrom('help_requests').select(['id', 'message']).where('sealed', 'is', null).where('message', 'is not', null).execute();
  for (const row of rows) {
    await db
      .updateTable('help_requests')
      .set({ sealed: seal(key, helpRequestPurpose(row.id), row.message), message: null })
      .where('id', '=', row.id)
      .where('sealed', 'is', null)
      .execute();
  }
  return rows.length;
}

/** The department's help requests to these resources, newest first, with who asked (still sealed). */
export async function helpRequestsFor(db: Kysely<Database>, departmentId: string, resourceIds: string[]) {
  return db
    .selectFrom('help_requests')
    .innerJoin('people', 'people.id', 'help_requests.person_id')
    .innerJoin('cycles', 'cycles.id', 'help_requests.cycle_id')
    .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
    .select([
      'help_requests.id',
      'help_requests.resource_id',
      'help_requests.message',
      'help_requests.sealed',
      'help_requests.created_at',
      'people.full_name',
      'people.preferred_name',
      'people.email',
    ])
    .where('help_requests.resource_id', 'in', resourceIds)
    .where('pairs.department_id', '=', departmentId)
    .orderBy('help_requests.created_at', 'desc')
    .execute();
}

// ── re-sealing (key rotation) ────────────────────────────────────────────────

/** A sealed value with the purpose it is bound to. */
export interface SealedValue {
  id: string;
  sealed: Buffer;
  purpose: string;
}

/** The next `limit` sealed feedback rows after `afterId`, by id. */
export async function listSealedFeedback(db: Kysely<Database>, afterId: string, limit: number): Promise<SealedValue[]> {
  const rows = await db
    .selectFrom('feedback')
    .select(['id', 'sealed', 'cycle_id', 'author_role'])
    .where('sealed', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, sealed: r.sealed!, purpose: feedbackPurpose(r.cycle_id, r.author_role) }));
}

/** The next `limit` sealed help requests after `afterId`, by id. */
export async function listSealedHelpRequests(db: Kysely<Database>, afterId: string, limit: number): Promise<SealedValue[]> {
  const rows = await db
    .selectFrom('help_requests')
    .select(['id', 'sealed'])
    .where('sealed', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, sealed: r.sealed!, purpose: helpRequestPurpose(r.id) }));
}

/**
 * Replaces a row's sealed value, only if it still holds `from` (a live process may have
 * re-sealed it meanwhile). Whether it was replaced.
 */
export async function replaceSealed(
  db: Kysely<Database>,
  table: 'feedback' | 'help_requests' | 'evaluation_packets',
  id: string,
  from: Buffer,
  to: Buffer,
): Promise<boolean> {
  const result = await db.updateTable(table).set({ sealed: to }).where('id', '=', id).where('sealed', '=', from).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ── IDPs (training goals updated and reviewed, from the timeline) ────────────

/** The department's people with these emails, and whether each is the mentee of any pair. */
export async function findMenteesByEmail(db: Kysely<Database>, departmentId: string, emails: string[]) {
  const found = await db
    .selectFrom('people')
    .leftJoin('pairs', (j) => j.onRef('pairs.mentee_id', '=', 'people.id'))
    .where('people.department_id', '=', departmentId)
    .where('people.email', 'in', emails)
    .select(['people.id', 'people.email', sql<boolean>`count(pairs.id) > 0`.as('is_mentee')])
    .groupBy(['people.id', 'people.email'])
    .execute();
  return found;
}

/** The mentees of a program's pairs that had a cycle in the window. */
export async function listProgramMentees(db: Kysely<Database>, departmentId: string, program: string, window: { from: Date; to: Date }): Promise<string[]> {
  const rows = await db
    .selectFrom('pairs as p')
    .innerJoin('cycles as c', 'c.pair_id', 'p.id')
    .where('p.department_id', '=', departmentId)
    .where('p.program', '=', program)
    .where('c.enrolled_at', '<=', window.to)
    .where((eb) => eb.or([eb('p.ended_at', 'is', null), eb('p.ended_at', '>=', window.from)]))
    .select('p.mentee_id')
    .distinct()
    .execute();
  return rows.map((r) => r.mentee_id);
}

/** Per trainee: names, mentors, and the latest goals update and mentor review in the window. */
export async function listIdpReviewDates(db: Kysely<Database>, departmentId: string, personIds: string[], window: { from: Date; to: Date }) {
  const rows = await db
    .selectFrom('people as mentee')
    .innerJoin('pairs as p', 'p.mentee_id', 'mentee.id')
    .innerJoin('people as mentor', 'mentor.id', 'p.mentor_id')
    .leftJoin('cycles as c', 'c.pair_id', 'p.id')
    .leftJoin('cycle_events as e', (j) =>
      j.onRef('e.cycle_id', '=', 'c.id').on('e.step', '=', 'training-goals').on('e.occurred_at', '>=', window.from).on('e.occurred_at', '<=', window.to),
    )
    .where('mentee.department_id', '=', departmentId)
    .where('mentee.id', 'in', personIds)
    .select([
      'mentee.id',
      'mentee.email',
      sql<string>`coalesce(mentee.preferred_name, mentee.full_name)`.as('name'),
      sql<string[]>`array_agg(distinct coalesce(mentor.preferred_name, mentor.full_name) order by coalesce(mentor.preferred_name, mentor.full_name))`.as(
        'mentors',
      ),
      sql<Date | null>`max(e.occurred_at) filter (where e.kind = 'training-goals-updated')`.as('updated_at'),
      sql<Date | null>`max(e.occurred_at) filter (where e.kind = 'step-completed' and e.detail->>'phase' = 'reviewed')`.as('reviewed_at'),
    ])
    .groupBy(['mentee.id', 'mentee.email', 'mentee.preferred_name', 'mentee.full_name'])
    .orderBy('name')
    .execute();
  return rows;
}

// --- pending action saves (src/web/participant/run-update.ts) ---------------

/** The row saved by an earlier send with this link whose outcome was unknown, if any. */
export async function pendingActionSave<Saved>(db: Kysely<Database>, jti: string): Promise<Saved | null> {
  const row = await db.selectFrom('pending_action_saves').select('saved').where('jti', '=', jti).executeTakeFirst();
  return row ? (row.saved as Saved) : null;
}

export async function insertPendingActionSave(db: Kysely<Database>, jti: string, saved: unknown): Promise<void> {
  await db
    .insertInto('pending_action_saves')
    .values({ jti, saved: JSON.stringify(saved) })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
}

export async function deletePendingActionSave(db: Kysely<Database>, jti: string): Promise<void> {
  await db.deleteFrom('pending_action_saves').where('jti', '=', jti).execute();
}
