/**
 * What the dashboard reads: the Postgres projection only (cycles, pairs, people,
 * cycle_events), never Temporal, and never a column a person typed content into.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { CycleStatus, Database } from '../../../db/schema.ts';
import { PAGE_SIZE, type DashboardFilters } from './dashboard-filters.ts';

export interface DashboardRow {
  cycleId: string;
  pairId: string;
  academicYear: number;
  status: CycleStatus;
  currentStep: string | null;
  dueAt: Date | null;
  owedBy: string | null;
  stalledSince: Date | null;
  ladderRung: number | null;
  deliveryProblem: string | null;
  program: string | null;
  mentorName: string;
  mentorEmail: string;
  mentorUndeliverable: boolean;
  menteeName: string;
  menteeEmail: string;
  menteeUndeliverable: boolean;
}

type Joined = SelectQueryBuilder<Database & { c: Database['cycles']; p: Database['pairs']; mentor: Database['people']; mentee: Database['people'] }, 'c' | 'p' | 'mentor' | 'mentee', object>;

const OPEN_STATES: CycleStatus[] = ['running', 'paused', 'stalled'];

function base(db: Kysely<Database>, departmentId: string) {
  return db
    .selectFrom('cycles as c')
    .innerJoin('pairs as p', 'p.id', 'c.pair_id')
    .innerJoin('people as mentor', 'mentor.id', 'p.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'p.mentee_id')
    .where('p.department_id', '=', departmentId);
}

function byPairFilters<Q extends Joined>(query: Q, filters: DashboardFilters, departmentId: string): Q {
  let q = query as Joined;
  if (filters.program) q = q.where('p.program', '=', filters.program);
  // With the department, so the lookup uses people's unique (department_id, email) index.
  if (filters.mentor) q = q.where('mentor.department_id', '=', departmentId).where('mentor.email', '=', filters.mentor);
  return q as Q;
}

function byState<Q extends Joined>(query: Q, filters: DashboardFilters): Q {
  const q = query as Joined;
  if (filters.state === 'all') return query;
  if (filters.state === 'open') return q.where('c.status', 'in', OPEN_STATES) as Q;
  return q.where('c.status', '=', filters.state) as Q;
}

/** One page of cycles, stalled first (longest stalled first), then by due date. */
export async function listCycles(db: Kysely<Database>, departmentId: string, filters: DashboardFilters, page: { limit: number; offset: number } = { limit: PAGE_SIZE, offset: (filters.page - 1) * PAGE_SIZE }): Promise<DashboardRow[]> {
  let q = byState(byPairFilters(base(db, departmentId), filters, departmentId), filters);
  if (filters.stage) q = q.where('c.current_step', '=', filters.stage);
  const rows = await q
    .select([
      'c.id as cycleId',
      'p.id as pairId',
      'c.academic_year as academicYear',
      'c.status',
      'c.current_step as currentStep',
      'c.due_at as dueAt',
      'c.owed_by as owedBy',
      'c.stalled_since as stalledSince',
      'c.ladder_rung as ladderRung',
      'c.delivery_problem as deliveryProblem',
      'p.program',
      sql<string>`coalesce(mentor.preferred_name, mentor.full_name)`.as('mentorName'),
      'mentor.email as mentorEmail',
      sql<boolean>`mentor.undeliverable_email is not null and mentor.undeliverable_email = mentor.email`.as('mentorUndeliverable'),
      sql<string>`coalesce(mentee.preferred_name, mentee.full_name)`.as('menteeName'),
      'mentee.email as menteeEmail',
      sql<boolean>`mentee.undeliverable_email is not null and mentee.undeliverable_email = mentee.email`.as('menteeUndeliverable'),
    ])
    // The same expressions as cycles_dashboard_order_idx, so the order is an index walk.
    .orderBy(sql`(c.status <> 'stalled')`)
    .orderBy(sql`coalesce(c.stalled_since, c.due_at)`)
    .orderBy('c.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows as DashboardRow[];
}

export interface StageCount {
  step: string | null;
  status: CycleStatus;
  count: number;
}

/** Cycles by step and state, under the program and mentor filters: the chart, and the list's total. */
export async function countByStage(db: Kysely<Database>, departmentId: string, filters: DashboardFilters): Promise<StageCount[]> {
  const toCounts = (rows: { step: string | null; status: CycleStatus; count: string }[]) => rows.map((r) => ({ step: r.step, status: r.status, count: Number(r.count) }));
  if (!filters.program && !filters.mentor && (await servesOneDepartment(db, departmentId))) {
    // Every cycle is this department's: count from cycles alone (an index-only scan of
    // cycles_status_step_idx), without joining 100,000 pairs just to check the department.
    const rows = await db
      .selectFrom('cycles as c')
      .select(['c.current_step as step', 'c.status', sql<string>`count(*)`.as('count')])
      .groupBy(['c.status', 'c.current_step'])
      .execute();
    return toCounts(rows);
  }
  let q = db.selectFrom('cycles as c').innerJoin('pairs as p', 'p.id', 'c.pair_id').where('p.department_id', '=', departmentId);
  if (filters.program) q = q.where('p.program', '=', filters.program);
  if (filters.mentor) {
    const mentor = filters.mentor;
    q = q.where('p.mentor_id', 'in', (eb) => eb.selectFrom('people').select('id').where('department_id', '=', departmentId).where('email', '=', mentor));
  }
  const rows = await q
    .select(['c.current_step as step', 'c.status', sql<string>`count(*)`.as('count')])
    .groupBy(['c.status', 'c.current_step'])
    .execute();
  return toCounts(rows);
}

/** True when no pair belongs to another department (the usual deployment): two index probes. */
export async function servesOneDepartment(db: Kysely<Database>, departmentId: string): Promise<boolean> {
  const other = await db
    .selectFrom('pairs')
    .select('id')
    .where((eb) => eb.or([eb('department_id', '<', departmentId), eb('department_id', '>', departmentId)]))
    .limit(1)
    .executeTakeFirst();
  return other === undefined;
}

/** How many cycles the list holds under all filters, from the stage counts (no second scan). */
export function totalMatching(counts: StageCount[], filters: DashboardFilters): number {
  return counts
    .filter((c) => (filters.stage ? c.step === filters.stage : true))
    .filter((c) => (filters.state === 'all' ? true : filters.state === 'open' ? OPEN_STATES.includes(c.status) : c.status === filters.state))
    .reduce((sum, c) => sum + c.count, 0);
}

/** The department's programs, for the filter's choices (a skip scan over the index: one probe per program). */
export async function listPrograms(db: Kysely<Database>, departmentId: string): Promise<string[]> {
  const result = await sql<{ program: string }>`
    with recursive programs(program) as (
      (select program from pairs where department_id = ${departmentId} and program is not null order by program limit 1)
      union all
      select (select p.program from pairs p where p.department_id = ${departmentId} and p.program > programs.program order by p.program limit 1)
      from programs where programs.program is not null
    )
    select program from programs where program is not null`.execute(db);
  return result.rows.map((r) => r.program);
}

export interface CycleDetail extends DashboardRow {
  workflowId: string;
  pairStatus: 'active' | 'ended';
  endedReason: string | null;
  deliveryProblemAt: Date | null;
  enrolledAt: Date;
}

export async function findCycle(db: Kysely<Database>, departmentId: string, cycleId: string): Promise<CycleDetail | undefined> {
  const row = await base(db, departmentId)
    .where('c.id', '=', cycleId)
    .select([
      'c.id as cycleId',
      'p.id as pairId',
      'c.academic_year as academicYear',
      'c.status',
      'c.current_step as currentStep',
      'c.due_at as dueAt',
      'c.owed_by as owedBy',
      'c.stalled_since as stalledSince',
      'c.ladder_rung as ladderRung',
      'c.delivery_problem as deliveryProblem',
      'c.delivery_problem_at as deliveryProblemAt',
      'c.workflow_id as workflowId',
      'c.enrolled_at as enrolledAt',
      'p.program',
      'p.status as pairStatus',
      'p.ended_reason as endedReason',
      sql<string>`coalesce(mentor.preferred_name, mentor.full_name)`.as('mentorName'),
      'mentor.email as mentorEmail',
      sql<boolean>`mentor.undeliverable_email is not null and mentor.undeliverable_email = mentor.email`.as('mentorUndeliverable'),
      sql<string>`coalesce(mentee.preferred_name, mentee.full_name)`.as('menteeName'),
      'mentee.email as menteeEmail',
      sql<boolean>`mentee.undeliverable_email is not null and mentee.undeliverable_email = mentee.email`.as('menteeUndeliverable'),
    ])
    .executeTakeFirst();
  return row as CycleDetail | undefined;
}

export interface TimelineEntry {
  occurredAt: Date;
  step: string | null;
  kind: string;
  detail: Record<string, unknown>;
}

/** The cycle's timeline, newest first (the projection's events: states and ids only). */
export async function cycleTimeline(db: Kysely<Database>, cycleId: string, limit = 500): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('cycle_events')
    .select(['occurred_at', 'step', 'kind', 'detail'])
    .where('cycle_id', '=', cycleId)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ occurredAt: r.occurred_at, step: r.step, kind: r.kind, detail: r.detail }));
}
