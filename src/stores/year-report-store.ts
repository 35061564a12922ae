/**
 * The year report's numbers, read from Postgres: the counts kept from the cycles' timelines
 * (states and ids only) per department, program and academic year. Counts only: nothing here
 * reads a column anyone typed into, nor a rating.
 *
 * Each count is a Cell: the count itself and how many pairs it comes from, so an export can
 * hide a cell drawn from fewer pairs than the anonymity threshold (report-suppression.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Policy } from '../domain/policy.ts';
import { checkInNumber } from '../domain/step-id.ts';
import { academicYearStartDate } from '../domain/academic-year.ts';
import { listPrograms } from './dashboard-store.ts';

export interface Cell {
  value: number;
  pairs: number;
}

export interface StallRow {
  step: string;
  stalled: Cell;
  completedAfterReminder: Cell;
  resolvedByCoordinator: Cell;
  referred: Cell;
  lapsed: Cell;
  stillOpen: Cell;
}

export interface YearReport {
  academicYear: number;
  program: string | null;
  pairs: Cell;
  /** First cycle of the pair, enrolled after the academic year's start date. */
  joinedLate: Cell;
  expectations: { onTime: Cell; late: Cell; notSet: Cell };
  checkIns: { planned: Cell; held: Cell; rescheduledAfterMiss: Cell; reportedMissed: Cell; notHeld: Cell };
  goals: { reviewed: Cell; updatedNotReviewed: Cell; notUpdated: Cell };
  feedback: { both: Cell; one: Cell; neither: Cell };
  /** Pairs with at least one stalled step (the coordinator was told). */
  stalledPairs: Cell;
  stalls: StallRow[];
  endedEarly: { reason: string; pairs: Cell }[];
  timeAway: { pairs: Cell; pauses: Cell; byReason: { reason: string; pauses: Cell }[] };
}

export interface ReportScope {
  departmentId: string;
  /** null: every program. */
  program: string | null;
}

const n = (v: unknown) => Number(v ?? 0);
const cell = (value: unknown, pairs: unknown = value): Cell => ({ value: n(value), pairs: n(pairs) });

/** Counts by measure name (pg's bigints arrive as strings). */
export type Totals = Record<string, number | string>;

/** One year's measures: the plain ones by name, the rest (per step, reason, enrollment day) by name and label, in label order. */
interface YearCounts {
  totals: Totals;
  labelled: Map<string, { label: string; value: number }[]>;
}

/**
 * The measures of some academic years, from cycle_report_counts (migration 0016: kept by triggers
 * as the timeline grows, a few rows per program, year and measure), summed over the programs in scope.
 */
async function countsByYear(db: Kysely<Database>, scope: ReportScope, years: number[]): Promise<Map<number, YearCounts>> {
  let q = db.selectFrom('cycle_report_counts as r').where('r.department_id', '=', scope.departmentId).where('r.academic_year', 'in', years);
  if (scope.program !== null) q = q.where('r.program', '=', scope.program);
  const rows = await q
    .select(['r.academic_year', 'r.measure', 'r.label', sql<string>`sum(r.value)`.as('value')])
    .groupBy(['r.academic_year', 'r.measure', 'r.label'])
    .having(sql`sum(r.value)`, '<>', 0)
    .orderBy('r.academic_year')
    .orderBy('r.measure')
    .orderBy('r.label')
    .execute();
  const byYear = new Map<number, YearCounts>();
  for (const r of rows) {
    let year = byYear.get(r.academic_year);
    if (!year) byYear.set(r.academic_year, (year = { totals: {}, labelled: new Map() }));
    if (r.label === '') year.totals[r.measure] = n(r.value);
    else year.labelled.set(r.measure, [...(year.labelled.get(r.measure) ?? []), { label: r.label, value: n(r.value) }]);
  }
  return byYear;
}

/** First cycles enrolled after the academic year's first day (UTC): the days are kept, the policy says which day is first. */
function joinedLate(counts: YearCounts | undefined, year: number, policy: Pick<Policy, 'academicYearStart'>): number {
  const firstDay = academicYearStartDate(policy, year).toISOString().slice(0, 10);
  return (counts?.labelled.get('first_enrolled') ?? []).filter((d) => d.label > firstDay).reduce((sum, d) => sum + d.value, 0);
}

const STEP_ORDER = (step: string) => (step === 'expectations' ? 0 : step === 'training-goals' ? 2.5 : (checkInNumber(step) ?? 9));

/** The report's headline cells from its measures by name: the names cycle_report_counts keeps. */
export function reportFromTotals(year: number, program: string | null, totals: Totals | undefined): YearReport {
  const v = (k: string) => n(totals?.[k]);
  return {
    academicYear: year,
    program,
    pairs: cell(v('pairs')),
    joinedLate: cell(v('joined_late')),
    expectations: { onTime: cell(v('expectations_on_time')), late: cell(v('expectations_late')), notSet: cell(v('expectations_not_set')) },
    checkIns: {
      planned: cell(v('check_ins_planned'), v('check_ins_planned_pairs')),
      held: cell(v('check_ins_held'), v('check_ins_held_pairs')),
      rescheduledAfterMiss: cell(v('check_ins_rescheduled'), v('check_ins_rescheduled_pairs')),
      reportedMissed: cell(v('check_ins_missed'), v('check_ins_missed_pairs')),
      notHeld: cell(v('check_ins_not_held'), v('check_ins_not_held_pairs')),
    },
    goals: { reviewed: cell(v('goals_reviewed')), updatedNotReviewed: cell(v('goals_updated_not_reviewed')), notUpdated: cell(v('goals_not_updated')) },
    feedback: { both: cell(v('feedback_both')), one: cell(v('feedback_one')), neither: cell(v('feedback_neither')) },
    stalledPairs: cell(v('stalled_pairs')),
    stalls: [],
    endedEarly: [],
    timeAway: { pairs: cell(v('paused_pairs')), pauses: cell(v('pauses'), v('paused_pairs')), byReason: [] },
  };
}

function fromCounts(year: number, program: string | null, counts: YearCounts | undefined, policy: Pick<Policy, 'academicYearStart'>): YearReport {
  return reportFromTotals(year, program, { ...counts?.totals, joined_late: joinedLate(counts, year, policy) });
}

/** Stall rows in the order of the year's steps. */
export function inStepOrder(stalls: StallRow[]): StallRow[] {
  return stalls.sort((a, b) => STEP_ORDER(a.step) - STEP_ORDER(b.step));
}

/** Per step that stalled (its notify-coordinator rung fired): how many stalls, and how each ended. */
function stallsOf(counts: YearCounts | undefined): StallRow[] {
  const ofStep = (measure: string, step: string) => cell(counts?.labelled.get(measure)?.find((s) => s.label === step)?.value);
  return inStepOrder(
    (counts?.labelled.get('stalls') ?? []).map(({ label: step }) => ({
      step,
      stalled: ofStep('stalls', step),
      completedAfterReminder: ofStep('stalls_completed', step),
      resolvedByCoordinator: ofStep('stalls_resolved', step),
      referred: ofStep('stalls_referred', step),
      lapsed: ofStep('stalls_lapsed', step),
      stillOpen: ofStep('stalls_still_open', step),
    })),
  );
}

/**
 * The year report of one academic year (and program, or all), and the headline counts of the
 * `trendYears` (which should include it): one read of the kept counts for all of them.
 */
export async function yearReport(
  db: Kysely<Database>,
  policy: Pick<Policy, 'academicYearStart'>,
  scope: ReportScope,
  year: number,
  trendYears: number[] = [year],
): Promise<{ report: YearReport; trend: YearReport[] }> {
  const counts = await countsByYear(db, scope, [...new Set([year, ...trendYears])]);
  const ofYear = counts.get(year);
  const report = fromCounts(year, scope.program, ofYear, policy);
  report.stalls = stallsOf(ofYear);
  report.endedEarly = (ofYear?.labelled.get('ended_pairs') ?? []).map((e) => ({ reason: e.label, pairs: cell(e.value) }));
  const pausesByReason = ofYear?.labelled.get('paused_by_reason_pairs') ?? [];
  report.timeAway.byReason = (ofYear?.labelled.get('paused_by_reason') ?? []).map((p) => ({
    reason: p.label,
    pauses: cell(p.value, pausesByReason.find((r) => r.label === p.label)?.value),
  }));
  return { report, trend: trendYears.map((y) => fromCounts(y, scope.program, counts.get(y), policy)) };
}

/** Academic years that have cycles in the department, newest first, and the programs of its pairs. */
export async function reportChoices(db: Kysely<Database>, departmentId: string): Promise<{ years: number[]; programs: string[] }> {
  const [years, programs] = await Promise.all([
    db
      .selectFrom('cycle_report_counts')
      .where('department_id', '=', departmentId)
      .where('measure', '=', 'pairs')
      .where('label', '=', '')
      .select('academic_year')
      .groupBy('academic_year')
      .having(sql`sum(value)`, '>', 0)
      .orderBy('academic_year', 'desc')
      .execute(),
    listPrograms(db, departmentId),
  ]);
  return { years: years.map((y) => y.academic_year), programs };
}
