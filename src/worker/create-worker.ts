/**
 * Builds the Tandem worker: the mentoring workflows plus activities over the given
 * dependencies. Shared by the production entry point, `npm start` and the tests.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Workflows kept in the worker's sticky cache. The SDK sizes it from the heap limit (about
 * 2,400 on a 4 GiB heap, ~0.6 MB each), but a cycle sleeps for weeks between timers, so a
 * cached one is almost never reused: evicted, it replays its history (under 1,000 events, a
 * few milliseconds) when it next wakes. 250 keeps a 5,000-cycle department's worker small.
 */
export const WORKFLOW_CACHE_SIZE = 250;

export interface TandemWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests build one per run); otherwise the worker bundles at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  maxCachedWorkflows?: number;
  /** On shutdown, how long in-flight activities may finish before they are cancelled (TANDEM_WORKER_DRAIN_SECONDS). */
  drainSeconds?: number;
}

export async function createTandemWorker(options: TandemWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(options.deps),
    maxCachedWorkflows: options.maxCachedWorkflows ?? WORKFLOW_CACHE_SIZE,
    // Bounded drain: what is not done by then is cancelled here and retried by a peer.
    ...(options.drainSeconds ? { shutdownGraceTime: options.drainSeconds * 1000, shutdownForceTime: (options.drainSeconds + 10) * 1000 } : {}),
  });
}
