/**
 * The `cycles` rows and what hangs off them, as Postgres holds a pair's mentoring year:
 * creating a year's row, reading the cycles to start, writing each transition's projected state
 * and timeline (so every page reads Postgres and never lists workflows), check-in invite
 * revisions, the calendar feed's booked check-ins and the cycle (with its pair) an action link names.
 */
import type { CheckInInvitesTable, CycleEventsTable, Database, CycleStatus, PairStatus } from '../../db/schema.ts';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';

// ── delivery problems (outbox) ──────────────────────────────────────────────

/** Shows on the cycle that mail for it was refused. */
export async function recordDeliveryProblem(db: Kysely<Database>, cycleId: string, problem: string): Promise<void> {
  await db.updateTable('cycles').set({ delivery_problem: problem, delivery_problem_at: new Date() }).where('id', '=', cycleId).execute();
}

// ── check-in invites (calendar feed) ────────────────────────────────────────

export interface BookedCheckIn {
  uid: string;
  sequence: number;
  step: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  stampedAt: Date;
  cycleId: string;
  mentorId: string;
  mentorName: string;
  menteeName: string;
}

/** The person's booked (REQUEST) check-ins in any of their pairs ending at or after `since`, earliest first. */
export async function listBookedCheckInsOf(db: Kysely<Database>, personId: string, since: Date): Promise<BookedCheckIn[]> {
  const rows = await db
    .selectFrom('check_in_invites as ci')
    .innerJoin('cycles', 'cycles.id', 'ci.cycle_id')
    .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
    .innerJoin('people as mentor', 'mentor.id', 'pairs.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'pairs.mentee_id')
    .select([
      'ci.uid',
      'ci.sequence',
      'ci.step',
      'ci.starts_at',
      'ci.ends_at',
      'ci.time_zone',
      'ci.stamped_at',
      'ci.cycle_id',
      'mentor.id as mentorId',
      (eb) => eb.fn.coalesce('mentor.preferred_name', 'mentor.full_name').as('mentorName'),
      (eb) => eb.fn.coalesce('mentee.preferred_name', 'mentee.full_name').as('menteeName'),
    ])
    .where((eb) => eb.or([eb('pairs.mentor_id', '=', personId), eb('pairs.mentee_id', '=', personId)]))
    .where('ci.method', '=', 'REQUEST')
    .where('ci.ends_at', '>=', since)
    .orderBy('ci.starts_at')
    .execute();
  return rows.map((r) => ({
    uid: r.uid,
    sequence: r.sequence,
    step: r.step,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    timeZone: r.time_zone,
    stampedAt: r.stamped_at,
    cycleId: r.cycle_id,
    mentorId: r.mentorId,
    mentorName: r.mentorName,
    menteeName: r.menteeName,
  }));
}

// ── a person's cycles ────────────────────────────────────────────────────────

/** Every cycle of these pairs with its status, current step and due date, newest academic year first (what a person's page shows). */
export async function cycleStatesOfPairs(db: Kysely<Database>, pairIds: string[]) {
  const rows = await db
    .selectFrom('cycles')
    .select(['id', 'pair_id', 'workflow_id', 'academic_year', 'status', 'current_step', 'due_at'])
    .where('pair_id', 'in', pairIds)
    .orderBy('academic_year', 'desc')
    .execute();
  return rows.map((c) => ({
    id: c.id,
    pairId: c.pair_id,
    workflowId: c.workflow_id,
    academicYear: c.academic_year,
    status: c.status,
    currentStep: c.current_step,
    dueAt: c.due_at,
  }));
}

// ── a mentor's cycles and timelines (evaluation packets) ────────────────────

/** Every cycle of the mentor's pairs up to and including `academicYear`. */
export async function listMentorCyclesUpTo(db: Kysely<Database>, mentorId: string, academicYear: number): Promise<{ id: string; academicYear: number }[]> {
  const rows = await db
    .selectFrom('cycles')
    .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
    .select(['cycles.id', 'cycles.academic_year'])
    .where('pairs.mentor_id', '=', mentorId)
    .where('cycles.academic_year', '<=', academicYear)
    .execute();
  return rows.map((r) => ({ id: r.id, academicYear: r.academic_year }));
}

/** The timelines of these cycles, in the order they were recorded. */
export async function listEventsOfCycles(db: Kysely<Database>, cycleIds: string[]) {
  const rows = await db
    .selectFrom('cycle_events')
    .select(['cycle_id', 'step', 'kind', 'occurred_at', 'detail'])
    .where('cycle_id', 'in', cycleIds.length ? cycleIds : ['00000000-0000-0000-0000-000000000000'])
    .orderBy('id')
    .execute();
  return rows.map((e) => ({ cycleId: e.cycle_id, step: e.step, kind: e.kind, occurredAt: e.occurred_at, detail: e.detail }));
}

/** One step's timeline entries of a cycle (kind and detail). */
export async function listStepEvents(db: Kysely<Database>, cycleId: string, step: string) {
  return db.selectFrom('cycle_events').select(['kind', 'detail']).where('cycle_id', '=', cycleId).where('step', '=', step).execute();
}

// ── check-in invites (revisions) ─────────────────────────────────────────────

export type RecordedInvite = Selectable<CheckInInvitesTable>;

/** What a request for `revision` makes of the revision already recorded: send it as recorded, or it is stale. */
export function againstRecorded(current: RecordedInvite, revision: number): { row: RecordedInvite; stale: boolean; isUpdate: boolean } {
  if (revision < current.revision) return { row: current, stale: true, isUpdate: true };
  return { row: current, stale: false, isUpdate: current.sequence > 0 };
}

/**
 * Records a check-in's invite revision (or finds it recorded) and returns the invite identity
 * to send: a newer revision bumps SEQUENCE, an older one is stale, the same one is as recorded.
 */
export async function recordCheckInInviteRevision(
  db: Kysely<Database>,
  request: { cycleId: string; step: string; revision: number; method: 'REQUEST' | 'CANCEL' },
  times: { startsAt: Date; endsAt: Date },
  timeZone: string,
  uidDomain: string,
) {
  const values = {
    revision: request.revision,
    method: request.method,
    starts_at: times.startsAt,
    ends_at: times.endsAt,
    time_zone: timeZone,
    stamped_at: new Date(),
  };
  // A check-in's first revision (the common case) is one statement; any later one compares under a row lock.
  const first = await db
    .insertInto('check_in_invites')
    .values({ cycle_id: request.cycleId, step: request.step, uid: `${request.cycleId}.${request.step}@${uidDomain}`, sequence: 0, ...values })
    .onConflict((oc) => oc.columns(['cycle_id', 'step']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (first) return { row: first, stale: false, isUpdate: false };
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('check_in_invites')
      .selectAll()
      .where('cycle_id', '=', request.cycleId)
      .where('step', '=', request.step)
      .forUpdate()
      .executeTakeFirst();
    if (!current) {
      const created = await trx
        .insertInto('check_in_invites')
        .values({ cycle_id: request.cycleId, step: request.step, uid: `${request.cycleId}.${request.step}@${uidDomain}`, sequence: 0, ...values })
        .onConflict((oc) => oc.columns(['cycle_id', 'step']).doNothing())
        .returningAll()
        .executeTakeFirst();
      // A concurrent attempt inserted it first: read what it recorded.
      const row =
        created ??
        (await trx
          .selectFrom('check_in_invites')
          .selectAll()
          .where('cycle_id', '=', request.cycleId)
          .where('step', '=', request.step)
          .executeTakeFirstOrThrow());
      return { row, stale: false, isUpdate: false };
    }
    if (request.revision <= current.revision) return againstRecorded(current, request.revision);
    const row = await trx
      .updateTable('check_in_invites')
      .set({ ...values, sequence: current.sequence + 1 })
      .where('cycle_id', '=', request.cycleId)
      .where('step', '=', request.step)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row, stale: false, isUpdate: true };
  });
}

/**
 * What a check-in's invite is written from, in one read: the cycle's state, its latest agreed
 * meeting place, and the invite revision recorded for the step (null before the first). The
 * projection records a revision before its delivery runs, so delivery usually finds it here
 * and needs no write of its own.
 */
export async function findInviteContext(db: Kysely<Database>, cycleId: string, step: string) {
  const found = await db
    .selectFrom('cycles')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('expectations')
          .select(['meeting_format', 'meeting_location'])
          .whereRef('expectations.cycle_id', '=', 'cycles.id')
          .orderBy('version', 'desc')
          .limit(1)
          .as('expectations'),
      (join) => join.onTrue(),
    )
    .leftJoin('check_in_invites as invite', (join) => join.onRef('invite.cycle_id', '=', 'cycles.id').on('invite.step', '=', step))
    .select(['cycles.status', 'cycles.current_step', 'cycles.due_at', 'expectations.meeting_format', 'expectations.meeting_location'])
    .select([
      'invite.uid',
      'invite.sequence',
      'invite.revision',
      'invite.method',
      'invite.starts_at',
      'invite.ends_at',
      'invite.time_zone',
      'invite.stamped_at',
    ])
    .where('cycles.id', '=', cycleId)
    .executeTakeFirst();
  if (!found) return undefined;
  const { uid, sequence, revision, method, starts_at, ends_at, time_zone, stamped_at, ...cycle } = found;
  const recorded: RecordedInvite | null =
    uid === null ||
    sequence === null ||
    revision === null ||
    method === null ||
    starts_at === null ||
    ends_at === null ||
    time_zone === null ||
    stamped_at === null
      ? null
      : { cycle_id: cycleId, step, uid, sequence, revision, method, starts_at, ends_at, time_zone, stamped_at };
  return { ...cycle, recorded };
}

/** The cycle an action link names, with its pair and the pair's two people (who may use the link). */
export async function findCycleWithPair(
  db: Kysely<Database>,
  cycleId: string,
): Promise<{ id: string; workflowId: string; academicYear: number; status: CycleStatus; pairId: string; mentorId: string; menteeId: string } | undefined> {
  const row = await db
    .selectFrom('cycles')
    .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
    .select(['cycles.id', 'cycles.workflow_id', 'cycles.academic_year', 'cycles.status', 'pairs.id as pair_id', 'pairs.mentor_id', 'pairs.mentee_id'])
    .where('cycles.id', '=', cycleId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      workflowId: row.workflow_id,
      academicYear: row.academic_year,
      status: row.status,
      pairId: row.pair_id,
      mentorId: row.mentor_id,
      menteeId: row.mentee_id,
    }
  );
}

const CHUNK = 2_000;
const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
const anyUuid = (values: readonly string[]) => sql<string>`any(${values}::uuid[])`;

/** A year's cycle row to create (src/cycles/cycle-input.ts builds it). */
export interface NewCycleRow {
  pairId: string;
  academicYear: number;
  workflowId: string;
  enrolledAt: Date | string;
}

export interface StoredCycle {
  cycleId: string;
  pairId: string;
  academicYear: number;
  workflowId: string;
  enrolledAt: Date;
  joinedAt: Date | null;
  status: CycleStatus;
}

/** A stored cycle with what its workflow start needs (the mentee's time zone). */
export interface StartableCycle extends Omit<StoredCycle, 'status'> {
  timeZone: string;
}

/** Creates the rows that do not exist yet (one per pair and year); concurrent writers may race to the same rows. */
export async function insertCycles(db: Kysely<Database>, rows: readonly NewCycleRow[]): Promise<void> {
  for (const batch of chunks(rows)) {
    await db
      .insertInto('cycles')
      .values(batch.map((r) => ({ pair_id: r.pairId, academic_year: r.academicYear, workflow_id: r.workflowId, enrolled_at: r.enrolledAt })))
      .onConflict((oc) => oc.columns(['pair_id', 'academic_year']).doNothing())
      .execute();
  }
}

/** Every cycle (all years) of the given pairs. */
export async function cyclesOfPairs(db: Kysely<Database>, pairIds: readonly string[]): Promise<StoredCycle[]> {
  const cycles: StoredCycle[] = [];
  for (const batch of chunks(pairIds)) {
    const rows = await db
      .selectFrom('cycles')
      .select(['id', 'pair_id', 'academic_year', 'workflow_id', 'enrolled_at', 'joined_at', 'status'])
      .where('pair_id', '=', anyUuid(batch))
      .execute();
    for (const r of rows) {
      cycles.push({
        cycleId: r.id,
        pairId: r.pair_id,
        academicYear: r.academic_year,
        workflowId: r.workflow_id,
        enrolledAt: r.enrolled_at,
        joinedAt: r.joined_at,
        status: r.status,
      });
    }
  }
  return cycles;
}

/** The given pairs' cycles of one year, with the mentee's time zone each start needs. */
export async function startableCyclesOfYear(db: Kysely<Database>, academicYear: number, pairIds: readonly string[]): Promise<StartableCycle[]> {
  if (pairIds.length === 0) return [];
  const rows = await db
    .selectFrom('cycles as c')
    .innerJoin('pairs as p', 'p.id', 'c.pair_id')
    .innerJoin('people as mentee', 'mentee.id', 'p.mentee_id')
    .select(['c.id', 'c.pair_id', 'c.academic_year', 'c.workflow_id', 'c.enrolled_at', 'c.joined_at', 'mentee.time_zone'])
    .where('c.academic_year', '=', academicYear)
    .where('c.pair_id', '=', anyUuid(pairIds))
    .execute();
  return rows.map(startableOf);
}

export function startableOf(r: {
  id: string;
  pair_id: string;
  academic_year: number;
  workflow_id: string;
  enrolled_at: Date;
  joined_at: Date | null;
  time_zone: string;
}): StartableCycle {
  return {
    cycleId: r.id,
    pairId: r.pair_id,
    academicYear: r.academic_year,
    workflowId: r.workflow_id,
    enrolledAt: r.enrolled_at,
    joinedAt: r.joined_at,
    timeZone: r.time_zone,
  };
}

/** Each active pair of the department with its latest cycle's workflow id (null: none yet); one row per pair. */
export async function activePairsWithLatestCycle(db: Kysely<Database>, departmentId: string): Promise<{ pairId: string; workflowId: string | null }[]> {
  const rows = await db
    .selectFrom('pairs')
    .leftJoin(
      (eb) => eb.selectFrom('cycles').distinctOn('pair_id').select(['pair_id', 'workflow_id']).orderBy('pair_id').orderBy('academic_year', 'desc').as('latest'),
      (join) => join.onRef('latest.pair_id', '=', 'pairs.id'),
    )
    .select(['pairs.id', 'latest.workflow_id'])
    .where('pairs.department_id', '=', departmentId)
    .where('pairs.status', '=', 'active')
    .orderBy('pairs.id')
    .execute();
  return rows.map((r) => ({ pairId: r.id, workflowId: r.workflow_id }));
}

/** A cycle's pair status, the mentee's time zone and the workflow id. */
export async function cyclePairFacts(db: Kysely<Database>, cycleId: string): Promise<{ pairStatus: PairStatus; timeZone: string; workflowId: string }> {
  const row = await db
    .selectFrom('pairs')
    .innerJoin('people as mentee', 'mentee.id', 'pairs.mentee_id')
    .innerJoin('cycles', 'cycles.pair_id', 'pairs.id')
    .select(['pairs.status', 'mentee.time_zone', 'cycles.workflow_id'])
    .where('cycles.id', '=', cycleId)
    .executeTakeFirstOrThrow();
  return { pairStatus: row.status, timeZone: row.time_zone, workflowId: row.workflow_id };
}

/** The pair's cycle of one year; throws when there is none. */
export async function cycleOfYear(db: Kysely<Database>, pairId: string, academicYear: number): Promise<{ cycleId: string; enrolledAt: Date }> {
  const row = await db
    .selectFrom('cycles')
    .select(['id', 'enrolled_at'])
    .where('pair_id', '=', pairId)
    .where('academic_year', '=', academicYear)
    .executeTakeFirstOrThrow();
  return { cycleId: row.id, enrolledAt: row.enrolled_at };
}

// --- projection -------------------------------------------------------------

export interface TimelineEvent {
  /** Unique within the cycle: a retried write lands once. */
  eventKey: string;
  occurredAt: string;
  step: string | null;
  kind: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** The projected state of a cycle (the workflow's snapshot). */
export interface CycleProjection {
  status: CycleStatus;
  currentStep: string | null;
  dueAt: string | null;
  owedBy: string | null;
  stalledSince: string | null;
  ladderRung: number | null;
}

/** A cycle's timeline events as cycle_events rows. */
export function timelineRows(cycleId: string, events: TimelineEvent[]): Insertable<CycleEventsTable>[] {
  return events.map((e) => ({
    cycle_id: cycleId,
    event_key: e.eventKey,
    occurred_at: e.occurredAt,
    step: e.step,
    kind: e.kind,
    detail: JSON.stringify(e.detail ?? {}),
  }));
}

/**
 * Writes the cycle's new state and its timeline events (and the pair's end, when an event says
 * so) atomically, in one round trip: the project_cycle function of migration 0017, which keeps
 * the statements' order the count triggers rely on. Safe to retry.
 */
export async function projectCycle(db: Kysely<Database>, cycleId: string, snapshot: CycleProjection, events: TimelineEvent[]): Promise<void> {
  const state = {
    status: snapshot.status,
    currentStep: snapshot.currentStep,
    dueAt: snapshot.dueAt,
    owedBy: snapshot.owedBy,
    stalledSince: snapshot.stalledSince,
    ladderRung: snapshot.ladderRung,
  };
  const rows = events.map((e) => ({ event_key: e.eventKey, occurred_at: e.occurredAt, step: e.step, kind: e.kind, detail: e.detail ?? {} }));
  await sql`select project_cycle(${cycleId}::uuid, ${JSON.stringify(state)}::jsonb, ${JSON.stringify(rows)}::jsonb)`.execute(db);
}
