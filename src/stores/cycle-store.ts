/**
 * The `cycles` rows and their projection: creating a year's row, reading the cycles to start,
 * and writing each transition's state and timeline (so the dashboard reads Postgres and never
 * lists workflows from Temporal).
 */
import { sql, type Kysely } from 'kysely';
import type { CycleStatus, Database, PairStatus } from '../../db/schema.ts';

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
      cycles.push({ cycleId: r.id, pairId: r.pair_id, academicYear: r.academic_year, workflowId: r.workflow_id, enrolledAt: r.enrolled_at, joinedAt: r.joined_at, status: r.status });
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

export function startableOf(r: { id: string; pair_id: string; academic_year: number; workflow_id: string; enrolled_at: Date; joined_at: Date | null; time_zone: string }): StartableCycle {
  return { cycleId: r.id, pairId: r.pair_id, academicYear: r.academic_year, workflowId: r.workflow_id, enrolledAt: r.enrolled_at, joinedAt: r.joined_at, timeZone: r.time_zone };
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
  const row = await db.selectFrom('cycles').select(['id', 'enrolled_at']).where('pair_id', '=', pairId).where('academic_year', '=', academicYear).executeTakeFirstOrThrow();
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

/** Writes the cycle's new state and its timeline events in one transaction; safe to retry. */
export async function projectCycle(db: Kysely<Database>, cycleId: string, snapshot: CycleProjection, events: TimelineEvent[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (events.length > 0) {
      await trx
        .insertInto('cycle_events')
        .values(
          events.map((e) => ({
            cycle_id: cycleId,
            event_key: e.eventKey,
            occurred_at: e.occurredAt,
            step: e.step,
            kind: e.kind,
            detail: JSON.stringify(e.detail ?? {}),
          })),
        )
        .onConflict((oc) => oc.columns(['cycle_id', 'event_key']).doNothing())
        .execute();
    }
    const cycle = await trx
      .updateTable('cycles')
      .set({
        status: snapshot.status,
        current_step: snapshot.currentStep,
        due_at: snapshot.dueAt,
        owed_by: snapshot.owedBy,
        stalled_since: snapshot.stalledSince,
        ladder_rung: snapshot.ladderRung,
        updated_at: new Date(),
      })
      .where('id', '=', cycleId)
      .returning('pair_id')
      .executeTakeFirstOrThrow(() => new Error(`cycle ${cycleId} not found`));
    const ended = events.find((e) => e.kind === 'pair-ended');
    if (ended) {
      await trx
        .updateTable('pairs')
        .set({ status: 'ended', ended_reason: String(ended.detail?.reason ?? 'other'), ended_at: ended.occurredAt })
        .where('id', '=', cycle.pair_id)
        .execute();
    }
  });
}
