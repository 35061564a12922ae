/**
 * Builds the Tandem worker: the mentoring workflows plus activities over the given
 * dependencies. Shared by the production entry point, `npm start` and the tests.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { DEFAULT_WORKFLOW_CACHE_SIZE, stickyQueueWaitMs } from './process-settings.ts';

const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Modules the workflow sandbox loads once and shares between every workflow of the worker,
 * instead of instantiating them again for each one: the pure domain code the cycles compute
 * with. Measured (docs/benchmarks.md): 0.05 MB less a cached cycle, and 13 % less worker CPU
 * when a cohort of evicted cycles replays. Only modules whose module-level state is a pure
 * memo may be listed (zoned-time's formatter and offset caches give every workflow the same
 * answers); their exports are frozen by the SDK, so nothing may mutate them.
 */
const SHARED_WORKFLOW_MODULES = [
  '../domain/zoned-time.ts',
  '../domain/policy.ts',
  '../domain/plan.ts',
  '../domain/ladder.ts',
  '../domain/check-in-slot.ts',
  '../domain/cycle-timing.ts',
  '../domain/step-id.ts',
  '../evaluation/competency-framework.ts',
  '../evaluation/default-framework.ts',
  '../temporal/search-attributes.ts',
].map((module) => fileURLToPath(new URL(module, import.meta.url)));

/** How every bundle of the workflows is made: the worker's own, the child's in production, the tests'. */
export const WORKFLOW_BUNDLE_OPTIONS: { workflowsPath: string; preloadModules: string[] } = {
  workflowsPath: WORKFLOWS_PATH,
  preloadModules: SHARED_WORKFLOW_MODULES,
};

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
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOW_BUNDLE_OPTIONS.workflowsPath, bundlerOptions: { preloadModules: WORKFLOW_BUNDLE_OPTIONS.preloadModules } }),
    activities: createActivities(options.deps),
    maxCachedWorkflows: cacheSize,
    stickyQueueScheduleToStartTimeout: stickyQueueWaitMs(cacheSize),
    // Bounded drain: what is not done by then is cancelled here and retried by a peer.
    ...(options.drainSeconds ? { shutdownGraceTime: options.drainSeconds * 1000, shutdownForceTime: (options.drainSeconds + 10) * 1000 } : {}),
  });
}
