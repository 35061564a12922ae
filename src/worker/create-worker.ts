/**
 * Builds the Tandem worker: the mentoring workflows plus activities over the given
 * dependencies. Shared by the production entry point, `npm start` and the tests.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { DEFAULT_WORKFLOW_CACHE_SIZE, stickyQueueWaitMs } from './process-settings.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface TandemWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests build one per run); otherwise the worker bundles at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** TANDEM_WORKFLOW_CACHE_SIZE: cycles kept in memory between their tasks (default DEFAULT_WORKFLOW_CACHE_SIZE). */
  maxCachedWorkflows?: number;
  /** On shutdown, how long in-flight activities may finish before they are cancelled (TANDEM_WORKER_DRAIN_SECONDS). */
  drainSeconds?: number;
}

export async function createTandemWorker(options: TandemWorkerOptions): Promise<Worker> {
  const cacheSize = options.maxCachedWorkflows ?? DEFAULT_WORKFLOW_CACHE_SIZE;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(options.deps),
    maxCachedWorkflows: cacheSize,
    stickyQueueScheduleToStartTimeout: stickyQueueWaitMs(cacheSize),
    // Bounded drain: what is not done by then is cancelled here and retried by a peer.
    ...(options.drainSeconds ? { shutdownGraceTime: options.drainSeconds * 1000, shutdownForceTime: (options.drainSeconds + 10) * 1000 } : {}),
  });
}
