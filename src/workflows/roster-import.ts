/**
 * Starting the cycles of a confirmed roster import, durably: one workflow per uploaded file
 * (its id comes from the file's SHA-256), so a web or CLI process that dies mid-import leaves
 * nothing half-started — this workflow finishes the starts. Each confirmed import of the file
 * arrives as a signal; two imports of the same file at once land in the same workflow, and
 * each cycle start is idempotent by the cycle's own workflow id. Ids only pass through here.
 */
import { defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { TandemActivities } from '../activities/index.ts';

export interface RosterImportInput {
  sha256: string;
  /** Where the cycles run; defaults to this workflow's own task queue. */
  cycleTaskQueue?: string;
}

/** A confirmed import of this file; `concurrency`: cycle starts kept in flight. */
export const importConfirmedSignal = defineSignal<[{ importId: string; concurrency?: number }]>('importConfirmed');

export function rosterImportWorkflowId(sha256: string): string {
  return `roster-import-${sha256}`;
}

// Thousands of starts: a long activity that heartbeats, retried until Temporal takes them all.
const { startImportCycles } = proxyActivities<TandemActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function rosterImport(input: RosterImportInput): Promise<{ imports: number; started: number; alreadyRunning: number }> {
  const queue: { importId: string; concurrency?: number }[] = [];
  setHandler(importConfirmedSignal, (signal) => {
    if (!queue.some((q) => q.importId === signal.importId)) queue.push(signal);
  });
  const taskQueue = input.cycleTaskQueue ?? workflowInfo().taskQueue;
  const totals = { imports: 0, started: 0, alreadyRunning: 0 };
  // The first signal comes with the start (signalWithStart); later ones are handled before the workflow can complete.
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const counts = await startImportCycles({ importId: next.importId, concurrency: next.concurrency, taskQueue });
    totals.imports++;
    totals.started += counts.started;
    totals.alreadyRunning += counts.alreadyRunning;
  }
  return totals;
}
