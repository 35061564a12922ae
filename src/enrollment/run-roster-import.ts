/**
 * A whole roster import for the CLI and the API: preview (recorded), confirm, then follow the
 * import workflow's progress until every cycle has started. The page does the same steps with
 * a person in between (src/web/coordinator/enrollment-routes.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EnrollDeps } from './enroll-pairs.ts';
import { summarise, type RosterImportResult } from './import-roster.ts';
import { confirmRosterImport, importProgress, previewRoster, type Importer } from './roster-imports.ts';
import type { ProgressListener } from '../cycles/start-cycles.ts';

export interface RunImportOptions {
  dryRun?: boolean;
  /** Cycle starts the import workflow keeps in flight. */
  concurrency?: number;
  fileName?: string;
  onCommitted?: (cycles: number) => void;
  onProgress?: ProgressListener;
  /** How often progress is read from Postgres. */
  pollMs?: number;
}

export async function runRosterImport(
  deps: EnrollDeps,
  bytes: Buffer,
  who: Importer,
  options: RunImportOptions = {},
): Promise<RosterImportResult & { importId?: string }> {
  const previewed = await previewRoster(deps, { bytes, fileName: options.fileName ?? 'roster' }, who, { record: !options.dryRun });
  if (!previewed.ok) return { ok: false, problems: previewed.problems.map(({ value: _value, ...p }) => p) };
  const { preview } = previewed;
  if (options.dryRun) return { ok: true, summary: preview.summary, plan: preview.plan, rowOf: preview.rowOf };
  const confirmed = await confirmRosterImport(deps, preview.importId!, { concurrency: options.concurrency });
  // Only another import racing this one between its own preview and confirm gets here.
  if (!confirmed.ok) return { ok: false, problems: [{ row: null, column: null, reason: confirmed.message }] };
  options.onCommitted?.(confirmed.total);
  let progress = await importProgress(deps.db, deps.policy.department.id, confirmed.importId);
  while (!confirmed.startError && progress && !progress.complete) {
    options.onProgress?.(progress.started + progress.alreadyRunning, progress.total);
    await sleep(options.pollMs ?? 200);
    progress = await importProgress(deps.db, deps.policy.department.id, confirmed.importId);
  }
  const p = progress!;
  options.onProgress?.(p.started + p.alreadyRunning, p.total);
  const starts = {
    statuses: Array.from({ length: p.total }, () => 'started' as const),
    started: p.started,
    alreadyRunning: p.alreadyRunning,
    failed: p.failures.length,
    notAttempted: p.pending,
    error: confirmed.startError ?? p.failures[0]?.reason ?? null,
  };
  return { ok: true, importId: confirmed.importId, summary: summarise(confirmed.plan, starts, false), plan: confirmed.plan, rowOf: confirmed.rowOf };
}
