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
