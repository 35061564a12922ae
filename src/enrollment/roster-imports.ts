/**
 * A roster import in two steps, the same for the page, the API and the CLI:
 *
 *   preview  — read and check the file exactly as an import would, plan every change against
 *              the database, write nothing; with `record`, keep the upload (by SHA-256) and the
 *              preview (who, when, file name, rows, a digest of the plan);
 *   confirm  — claim the preview (once only, across processes), write the rows in one
 *              transaction that also records every cycle to start, refusing if the plan no
 *              longer matches the preview; then hand the starts to the file's import workflow.
 *
 * Progress and the list of past imports are read from Postgres, so any web process shows them.
 */
import { createHash } from 'node:crypto';
import type { RosterImportStatus } from '../../db/schema.ts';
import { importConfirmedSignal, rosterImportWorkflowId, type rosterImport } from '../workflows/roster-import.ts';
import { EnrollmentConflictError, enrollPairs, type EnrollDeps, type EnrollmentPlan, type PairRequest } from './enroll-pairs.ts';
import { summarise, type RosterSummary } from './import-roster.ts';
import type { ParsedRoster, RosterFormat, RosterProblem } from './parse-roster.ts';
import { readRoster } from './read-roster.ts';
import {
  claimPreviewedImport,
  countImportStarts,
  findImport,
  findImportStatus,
  findImportWithUpload,
  insertImportStarts,
  insertRosterImport,
  listConfirmedImports,
  listImportStartFailures,
  markImportStale,
  saveImportSummary,
  saveRosterUpload,
} from '../stores/roster-import-store.ts';
import type { RosterColumn } from './roster-columns.ts';
import { rosterWarnings, type RosterWarning } from './roster-warnings.ts';
import { headerFor, validateRoster } from './validate-roster.ts';

export type ImportSource = 'web' | 'cli' | 'api';
export interface Importer {
  source: ImportSource;
  staffId?: string;
  staffName?: string;
}

/** A problem with the value as it was read, so the person sees what Tandem saw. */
export type ShownProblem = RosterProblem & { value: string | null };

export interface RosterPreview {
  /** Null when the preview was not recorded (a dry run). */
  importId: string | null;
  sha256: string;
  fileName: string;
  format: RosterFormat;
  rowCount: number;
  /** The first rows as Tandem understood them, by roster column. */
  firstRows: { row: number; values: Partial<Record<RosterColumn, string>> }[];
  requests: PairRequest[];
  rowOf: number[];
  plan: EnrollmentPlan;
  summary: RosterSummary;
  warnings: RosterWarning[];
}

export type PreviewResult = { ok: true; preview: RosterPreview } | { ok: false; problems: ShownProblem[]; format: RosterFormat | null };

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const digestOf = (plan: EnrollmentPlan) => createHash('sha256').update(JSON.stringify(plan)).digest('hex');

function withValues(parsed: ParsedRoster, problems: RosterProblem[]): ShownProblem[] {
  const columnOf = new Map(Object.entries(parsed.headers).map(([column, header]) => [header, column as RosterColumn]));
  const rowAt = new Map(parsed.rows.map((r) => [r.row, r.values]));
  return problems.map((p) => {
    const column = p.column === null ? undefined : (columnOf.get(p.column) ?? (p.column as RosterColumn));
    const value = p.row !== null && column ? rowAt.get(p.row)?.[column] : undefined;
    return { ...p, value: value ?? null };
  });
}

async function check(deps: EnrollDeps, bytes: Buffer, now: Date) {
  const parsed = await readRoster(bytes);
  const validated = validateRoster(parsed, deps.policy, now);
  return { parsed, validated };
}

const conflictProblems = (parsed: ParsedRoster, rowOf: number[], error: EnrollmentConflictError): RosterProblem[] =>
  error.problems.map((p) => ({ row: rowOf[p.index]!, column: headerFor(parsed, p.field.replace(/-/g, '_') as RosterColumn), reason: p.reason }));

export async function previewRoster(
  deps: EnrollDeps,
  file: { bytes: Buffer; fileName: string },
  who: Importer,
  options: { record?: boolean; now?: Date } = {},
): Promise<PreviewResult> {
  const now = options.now ?? new Date();
  const { parsed, validated } = await check(deps, file.bytes, now);
  const format = parsed.format ?? null;
  if (validated.problems.length > 0) return { ok: false, problems: withValues(parsed, validated.problems), format };
  let plan: EnrollmentPlan;
  try {
    plan = (await enrollPairs(deps, validated.requests, { dryRun: true, reportMissing: true })).plan;
  } catch (error) {
    if (!(error instanceof EnrollmentConflictError)) throw error;
    return { ok: false, problems: withValues(parsed, conflictProblems(parsed, validated.rowOf, error)), format };
  }
  const sha256 = sha256Of(file.bytes);
  const preview: RosterPreview = {
    importId: null,
    sha256,
    fileName: file.fileName,
    format: format!,
    rowCount: parsed.rows.length,
    firstRows: parsed.rows.slice(0, 5).map((r) => ({ row: r.row, values: r.values })),
    requests: validated.requests,
    rowOf: validated.rowOf,
    plan,
    summary: summarise(plan, null, true),
    warnings: rosterWarnings(parsed, validated.requests, validated.rowOf, deps.policy.defaultTimeZone, now),
  };
  if (options.record) {
    await saveRosterUpload(deps.db, sha256, file.bytes);
    preview.importId = await insertRosterImport(deps.db, {
      departmentId: deps.policy.department.id,
      sha256,
      fileName: file.fileName,
      rowCount: preview.rowCount,
      encoding: preview.format.encoding,
      delimiter: preview.format.delimiter,
      source: who.source,
      staffId: who.staffId ?? null,
      staffName: who.staffName ?? null,
      planDigest: digestOf(plan),
      summary: preview.summary,
    });
  }
  return { ok: true, preview };
}

export type ConfirmResult =
  | { ok: true; importId: string; workflowId: string; total: number; summary: RosterSummary; plan: EnrollmentPlan; rowOf: number[]; startError: string | null }
  | { ok: false; why: 'unknown' | 'already-confirmed' | 'stale'; message: string };

class ConfirmRefused extends Error {
  readonly why: 'already-confirmed' | 'stale';
  constructor(why: 'already-confirmed' | 'stale') {
    super(why);
    this.why = why;
  }
}

const STALE =
  'The department’s records changed since this preview (another import or a change on the dashboard), so it no longer shows what importing would do. Nothing was imported. Upload the file again for a fresh preview.';

export async function confirmRosterImport(deps: EnrollDeps, importId: string, options: { now?: Date; concurrency?: number } = {}): Promise<ConfirmResult> {
  const row = await findImportWithUpload(deps.db, deps.policy.department.id, importId);
  if (!row) return { ok: false, why: 'unknown', message: 'There is no such preview. Upload the roster to see a preview, then confirm it.' };
  if (row.status !== 'previewed') return refusal(row.status);
  const { validated } = await check(deps, row.content, options.now ?? new Date());
  if (validated.problems.length > 0) return markStale(deps, importId);
  let toStartCount = 0;
  let outcome;
  try {
    outcome = await enrollPairs(deps, validated.requests, {
      reportMissing: true,
      startElsewhere: true,
      within: {
        // The claim locks the preview's row: a second confirm waits, then finds it taken.
        before: async (trx) => {
          const claimed = await claimPreviewedImport(trx, importId, rosterImportWorkflowId(row.sha256));
          if (!claimed) throw new ConfirmRefused('already-confirmed');
        },
        after: async (trx, plan, toStart) => {
          if (digestOf(plan) !== row.planDigest) throw new ConfirmRefused('stale');
          toStartCount = toStart.length;
          await insertImportStarts(
            trx,
            importId,
            toStart.map((c) => c.cycleId),
          );
          await saveImportSummary(trx, importId, summarise(plan, null, false));
        },
      },
    });
  } catch (error) {
    if (error instanceof ConfirmRefused) return error.why === 'stale' ? markStale(deps, importId) : refusal(await findImportStatus(deps.db, importId));
    // Someone enrolled one of these emails under another name since the preview.
    if (error instanceof EnrollmentConflictError) return markStale(deps, importId);
    throw error;
  }
  const workflowId = rosterImportWorkflowId(row.sha256);
  let startError: string | null = null;
  try {
    await handOver(deps, row.sha256, importId, options.concurrency);
  } catch (error) {
    // The rows and the starts to make are committed: opening the import's page hands them over again.
    startError = error instanceof Error ? error.message : String(error);
  }
  return {
    ok: true,
    importId,
    workflowId,
    total: toStartCount,
    summary: summarise(outcome.plan, null, false),
    plan: outcome.plan,
    rowOf: validated.rowOf,
    startError,
  };
}

/** Signals the file's import workflow (starting it if none runs): it starts the import's pending cycles. */
export async function handOver(deps: EnrollDeps, sha256: string, importId: string, concurrency?: number): Promise<void> {
  await deps.temporal.workflow.signalWithStart<typeof rosterImport, [{ importId: string; concurrency?: number }]>('rosterImport', {
    workflowId: rosterImportWorkflowId(sha256),
    taskQueue: deps.importTaskQueue ?? deps.taskQueue,
    args: [{ sha256, cycleTaskQueue: deps.taskQueue }],
    signal: importConfirmedSignal,
    signalArgs: [{ importId, concurrency }],
  });
}

function refusal(status: RosterImportStatus): ConfirmResult {
  if (status === 'stale') return { ok: false, why: 'stale', message: STALE };
  return {
    ok: false,
    why: 'already-confirmed',
    message: 'This preview was already confirmed; the roster was imported once and is not imported again. Its progress is below.',
  };
}

async function markStale(deps: EnrollDeps, importId: string): Promise<ConfirmResult> {
  await markImportStale(deps.db, importId);
  return { ok: false, why: 'stale', message: STALE };
}

export interface ImportProgress {
  importId: string;
  sha256: string;
  fileName: string;
  status: RosterImportStatus;
  total: number;
  started: number;
  alreadyRunning: number;
  pending: number;
  failures: { mentorEmail: string; menteeEmail: string; reason: string }[];
  complete: boolean;
}

export async function importProgress(db: EnrollDeps['db'], departmentId: string, importId: string): Promise<ImportProgress | null> {
  const row = await findImport(db, departmentId, importId);
  if (!row) return null;
  const counts = await countImportStarts(db, importId);
  const n = (status: string) => counts.find((c) => c.status === status)?.n ?? 0;
  const failures = await listImportStartFailures(db, importId);
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  return {
    importId: row.id,
    sha256: row.sha256,
    fileName: row.fileName,
    status: row.status,
    total,
    started: n('started'),
    alreadyRunning: n('already-running'),
    pending: n('pending'),
    failures: failures.map((f) => ({ mentorEmail: f.mentorEmail, menteeEmail: f.menteeEmail, reason: f.reason ?? 'unknown' })),
    complete: row.status === 'started' || (row.status === 'confirmed' && total > 0 && n('pending') + n('failed') === 0),
  };
}

export interface PastImport {
  id: string;
  fileName: string;
  rowCount: number;
  status: RosterImportStatus;
  by: string;
  previewedAt: Date;
  confirmedAt: Date | null;
  summary: RosterSummary | null;
}

export async function listImports(db: EnrollDeps['db'], departmentId: string, limit = 20): Promise<PastImport[]> {
  const rows = await listConfirmedImports(db, departmentId, limit);
  return rows.map((r) => ({
    id: r.id,
    fileName: r.fileName,
    rowCount: r.rowCount,
    status: r.status,
    by: r.staffName ?? (r.source === 'cli' ? 'the command line' : 'the enrollment API'),
    previewedAt: r.previewedAt,
    confirmedAt: r.confirmedAt,
    summary: (r.summary as RosterSummary | null) ?? null,
  }));
}
