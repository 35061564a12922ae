/**
 * The cycles row and what hangs off it (projection, timeline, check-in invites): reads and
 * writes of a pair's mentoring year as Postgres holds it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

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

/** Every cycle of these pairs, newest academic year first. */
export async function listCyclesOfPairs(db: Kysely<Database>, pairIds: string[]) {
  const rows = await db
    .selectFrom('cycles')
    .select(['id', 'pair_id', 'workflow_id', 'academic_year', 'status', 'current_step', 'due_at'])
    .where('pair_id', 'in', pairIds)
    .orderBy('academic_year', 'desc')
    .execute();
  return rows.map((c) => ({ id: c.id, pairId: c.pair_id, workflowId: c.workflow_id, academicYear: c.academic_year, status: c.status, currentStep: c.current_step, dueAt: c.due_at }));
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
  const values = { revision: request.revision, method: request.method, starts_at: times.startsAt, ends_at: times.endsAt, time_zone: timeZone, stamped_at: new Date() };
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
      const row = created ?? (await trx.selectFrom('check_in_invites').selectAll().where('cycle_id', '=', request.cycleId).where('step', '=', request.step).executeTakeFirstOrThrow());
      return { row, stale: false, isUpdate: false };
    }
    if (request.revision < current.revision) return { row: current, stale: true, isUpdate: true };
    if (request.revision === current.revision) return { row: current, stale: false, isUpdate: current.sequence > 0 };
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

/** The cycle's state and its latest agreed meeting place. */
export async function findCycleWithMeetingPlace(db: Kysely<Database>, cycleId: string) {
  return db
    .selectFrom('cycles')
    .leftJoinLateral(
      (eb) => eb.selectFrom('expectations').select(['meeting_format', 'meeting_location']).whereRef('expectations.cycle_id', '=', 'cycles.id').orderBy('version', 'desc').limit(1).as('expectations'),
      (join) => join.onTrue(),
    )
    .select(['cycles.status', 'cycles.current_step', 'cycles.due_at', 'expectations.meeting_format', 'expectations.meeting_location'])
    .where('cycles.id', '=', cycleId)
    .executeTakeFirst();
}
