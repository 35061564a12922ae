/**
 * Importing a roster: parse, validate every row, check against the database, then write
 * everything in one transaction and start the cycles. Any problem anywhere means nothing is
 * written and every problem is reported, by spreadsheet row and column.
 *
 * This starts the cycles from the calling process, for programs that seed a database (benches,
 * tests). The page, the CLI and the API record the upload and hand the starts to the import's
 * own workflow instead (roster-imports.ts, run-roster-import.ts).
 */
import { EnrollmentConflictError, enrollPairs, type EnrollDeps, type EnrollmentPlan, type PairOutcome } from './enroll-pairs.ts';
import type { RosterProblem } from './parse-roster.ts';
import { readRoster } from './read-roster.ts';
import type { RosterColumn } from './roster-columns.ts';
import type { ProgressListener, StartReport } from '../cycles/start-cycles.ts';
import { headerFor, validateRoster } from './validate-roster.ts';

export interface RosterImportOptions {
  dryRun?: boolean;
  concurrency?: number;
  onCommitted?: (cycles: number) => void;
  onProgress?: ProgressListener;
  now?: Date;
}

export interface RosterSummary {
  dryRun: boolean;
  pairsInRoster: number;
  people: { new: number; updated: number; unchanged: number };
  pairs: Record<PairOutcome, number>;
  cyclesCreated: number;
  /** Null in a dry run. */
  cycles: { started: number; alreadyRunning: number; skipped: number; failed: number; notStarted: number } | null;
  /** The first start failure (Temporal down): the rows are saved; importing again starts the rest. */
  startError: string | null;
}

export type RosterImportResult = { ok: true; summary: RosterSummary; plan: EnrollmentPlan; rowOf: number[] } | { ok: false; problems: RosterProblem[] };

export function summarise(plan: EnrollmentPlan, starts: StartReport | null, dryRun: boolean): RosterSummary {
  const pairs: Record<PairOutcome, number> = { new: 0, updated: 0, unchanged: 0, ended: 0, continuing: 0 };
  for (const p of plan.pairs) pairs[p.outcome]++;
  const pairsNotStarted = pairs.ended + pairs.continuing;
  const finished = starts ? plan.pairs.length - pairsNotStarted - starts.statuses.length : 0;
  return {
    dryRun,
    pairsInRoster: plan.pairs.length,
    people: { new: plan.newPeople.length, updated: plan.updatedPeople.length, unchanged: plan.unchangedPeople },
    pairs,
    cyclesCreated: plan.pairs.filter((p) => p.newCycle).length,
    cycles: starts && {
      started: starts.started,
      alreadyRunning: starts.alreadyRunning,
      skipped: pairsNotStarted + finished,
      failed: starts.failed,
      notStarted: starts.notAttempted,
    },
    startError: starts?.error ?? null,
  };
}

export async function importRoster(deps: EnrollDeps, csv: Buffer | string, options: RosterImportOptions = {}): Promise<RosterImportResult> {
  const parsed = await readRoster(csv);
  const validated = validateRoster(parsed, deps.policy, options.now);
  if (validated.problems.length > 0) return { ok: false, problems: validated.problems };
  try {
    const outcome = await enrollPairs(deps, validated.requests, {
      dryRun: options.dryRun,
      reportMissing: true,
      concurrency: options.concurrency,
      onCommitted: options.onCommitted,
      onProgress: options.onProgress,
    });
    return { ok: true, summary: summarise(outcome.plan, outcome.starts, Boolean(options.dryRun)), plan: outcome.plan, rowOf: validated.rowOf };
  } catch (error) {
    if (!(error instanceof EnrollmentConflictError)) throw error;
    return {
      ok: false,
      problems: error.problems.map((p) => ({
        row: validated.rowOf[p.index]!,
        column: headerFor(parsed, p.field.replace(/-/g, '_') as RosterColumn),
        reason: p.reason,
      })),
    };
  }
}
