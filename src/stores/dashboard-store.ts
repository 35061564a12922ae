/**
 * What the dashboard reads: the Postgres projection only (cycles, pairs, people,
 * cycle_events), never Temporal, and never a column a person typed content into.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { CycleStatus, Database } from '../../db/schema.ts';

/** What the dashboard's filters narrow the cycles to (the web's DashboardFilters adds its page). */
export interface CycleFilters {
  program?: string;
  /** The mentor's email. */
  mentor?: string;
  stage?: string;
  state: 'open' | 'all' | CycleStatus;
}

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

type Joined = SelectQueryBuilder<
  Database & { c: Database['cycles']; p: Database['pairs']; mentor: Database['people']; mentee: Database['people'] },
  'c' | 'p' | 'mentor' | 'mentee',
  object
>;

const OPEN_STATES: CycleStatus[] = ['running', 'paused', 'stalled'];

function base(db: Kysely<Database>, departmentId: string) {
  return db
    .selectFrom('cycles as c')
    .innerJoin('pairs as p', 'p.id', 'c.pair_id')
    .innerJoin('people as mentor', 'mentor.id', 'p.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'p.mentee_id')
    .where('p.department_id', '=', departmentId);
}

/** The columns of a DashboardRow: the list and a cycle's detail read the same ones. */
function dashboardRowColumns() {
  return [
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
  ] as const;
}

function byPairFilters<Q extends Joined>(query: Q, filters: CycleFilters, departmentId: string): Q {
  let q = query as Joined;
  if (filters.program) q = q.where('p.program', '=', filters.program);
  // With the department, so the lookup uses people's unique (department_id, email) index.
  if (filters.mentor) q = q.where('mentor.department_id', '=', departmentId).where('mentor.email', '=', filters.mentor);
  return q as Q;
}

function byState<Q extends Joined>(query: Q, filters: CycleFilters): Q {
  const q = query as Joined;
  if (filters.state === 'all') return query;
  if (filters.state === 'open') return q.where('c.status', 'in', OPEN_STATES) as Q;
  return q.where('c.status', '=', filters.state) as Q;
}

/** One page of cycles, stalled first (longest stalled first), then by due date. */
export async function listCycles(
  db: Kysely<Database>,
  departmentId: string,
  filters: CycleFilters,
  page: { limit: number; offset: number },
): Promise<DashboardRow[]> {
  let q = byState(byPairFilters(base(db, departmentId), filters, departmentId), filters);
  if (filters.stage) q = q.where('c.current_step', '=', filters.stage);
  const rows = await q
    .select(dashboardRowColumns())
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

/**
 * Cycles by step and state, under the program and mentor filters: the chart, and the list's
 * total. Without a mentor they are read from cycle_stage_counts (0015: a few dozen rows, kept by
 * triggers in the projection's transaction); a mentor's cycles are few, so they are counted.
 */
export async function countByStage(db: Kysely<Database>, departmentId: string, filters: CycleFilters): Promise<StageCount[]> {
  const toCounts = (rows: { step: string | null; status: CycleStatus; count: string }[]) =>
    rows.map((r) => ({ step: r.step, status: r.status, count: Number(r.count) }));
  if (!filters.mentor) {
    let kept = db.selectFrom('cycle_stage_counts as s').where('s.department_id', '=', departmentId);
    if (filters.program) kept = kept.where('s.program', '=', filters.program);
    const rows = await kept
      .select(['s.current_step as step', 's.status', sql<string>`sum(s.cycles)`.as('count')])
      .groupBy(['s.status', 's.current_step'])
      .having(sql`sum(s.cycles)`, '>', 0)
      .execute();
    return toCounts(rows);
  }
  const mentor = filters.mentor;
  let q = db
    .selectFrom('cycles as c')
    .innerJoin('pairs as p', 'p.id', 'c.pair_id')
    .where('p.department_id', '=', departmentId)
    .where('p.mentor_id', 'in', (eb) => eb.selectFrom('people').select('id').where('department_id', '=', departmentId).where('email', '=', mentor));
  if (filters.program) q = q.where('p.program', '=', filters.program);
  const rows = await q
    .select(['c.current_step as step', 'c.status', sql<string>`count(*)`.as('count')])
    .groupBy(['c.status', 'c.current_step'])
    .execute();
  return toCounts(rows);
}

/** How many cycles the list holds under all filters, from the stage counts (no second scan). */
export function totalMatching(counts: StageCount[], filters: CycleFilters): number {
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
    .select(dashboardRowColumns())
    .select([
      'c.delivery_problem_at as deliveryProblemAt',
      'c.workflow_id as workflowId',
      'c.enrolled_at as enrolledAt',
      'p.status as pairStatus',
      'p.ended_reason as endedReason',
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
