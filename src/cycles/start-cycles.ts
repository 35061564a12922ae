/**
 * Starting many cycles at once, a bounded number in flight. Each start is idempotent by its
 * workflow id (REJECT_DUPLICATE): a cycle that is running or has run counts as "already
 * running". The first real failure (Temporal down) stops new starts: the rows are committed,
 * so running the import again starts exactly the cycles that are missing.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { cycleTimingOf } from '../domain/cycle-timing.ts';
import { SEARCH_ATTRIBUTES_AT_START, type CycleView, type MentoringCycleInput } from '../workflows/definitions.ts';
import type { CycleToStart } from './cycle-input.ts';

/** The workflow type's name as the worker registers it (src/workflows/index.ts). */
const MENTORING_CYCLE = 'mentoringCycle';

/** Enough in flight to keep a server busy without queueing thousands of calls in one process. */
export const DEFAULT_START_CONCURRENCY = 64;

export type StartStatus = 'started' | 'already-running' | 'failed' | 'not-attempted';

export interface StartReport {
  statuses: StartStatus[];
  started: number;
  alreadyRunning: number;
  failed: number;
  notAttempted: number;
  /** The first failure's message, when any start failed. */
  error: string | null;
}

export type ProgressListener = (done: number, total: number) => void;

/** Runs `task` over `items` with at most `limit` in flight; stops taking new items once `stop()` says so. */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop()) {
      const index = next++;
      await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

export async function startCycles(
  temporal: Client,
  taskQueue: string,
  cycles: readonly CycleToStart[],
  options: { concurrency?: number; onProgress?: ProgressListener } = {},
): Promise<StartReport> {
  const statuses: StartStatus[] = cycles.map(() => 'not-attempted');
  let error: unknown;
  let done = 0;
  await forEachConcurrently(
    cycles,
    options.concurrency ?? DEFAULT_START_CONCURRENCY,
    async (cycle, index) => {
      try {
        // Typed by its input alone: naming the workflow function here would tie this client to the workflow code.
        await temporal.workflow.start<(input: MentoringCycleInput) => Promise<CycleView>>(MENTORING_CYCLE, {
          workflowId: cycle.workflowId,
          taskQueue,
          // Only the policy's timing enters the history: no coordinator or resource addresses.
          args: [{ ...cycle.input, policy: cycleTimingOf(cycle.input.policy) }],
          // Once a pair's year has run, enrolling it again must not run it a second time.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: SEARCH_ATTRIBUTES_AT_START,
        });
        statuses[index] = 'started';
      } catch (e) {
        if (e instanceof WorkflowExecutionAlreadyStartedError) statuses[index] = 'already-running';
        else {
          statuses[index] = 'failed';
          error ??= e;
        }
      }
      options.onProgress?.(++done, cycles.length);
    },
    () => error !== undefined,
  );
  const count = (s: StartStatus) => statuses.filter((x) => x === s).length;
  return {
    statuses,
    started: count('started'),
    alreadyRunning: count('already-running'),
    failed: count('failed'),
    notAttempted: count('not-attempted'),
    error: error === undefined ? null : error instanceof Error ? error.message : String(error),
  };
}
