/**
 * The production worker process, started by `tandem worker` (and `npm run worker`, which runs it).
 * Runs until SIGINT or SIGTERM, then finishes what it holds for at most TANDEM_WORKER_DRAIN_SECONDS
 * (the rest is retried by its peers once its heartbeats stop) and exits.
 */
import v8 from 'node:v8';
import { openAppContext } from '../app-context.ts';
import { ConfigError, loadConfig } from '../config/env.ts';
import { connectWorker } from '../temporal/connection.ts';
import { assertTemporalReady } from '../temporal/prepare-temporal.ts';
import { bundleWorkflowsInChild } from './bundle-workflows.ts';
import { createTandemWorker } from './create-worker.ts';
import { installWorkerRuntime, startWorkerOperations } from './operations.ts';
import { cacheOutgrowsHeap, missingLaunchSettings } from './process-settings.ts';

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  // Checked before anything opens: a cache that outgrows the heap would kill the worker when a cohort wakes.
  const outgrows = cacheOutgrowsHeap(config.workflowCacheSize, v8.getHeapStatistics().heap_size_limit / 2 ** 20);
  if (outgrows) throw new ConfigError('TANDEM_WORKFLOW_CACHE_SIZE', outgrows);
  const app = await openAppContext(config);
  const log = app.logger.child({ component: 'worker' });
  installWorkerRuntime(config, log);
  const connection = await connectWorker(config.temporal);
  // Without the namespace or the search attributes every cycle would fail its tasks: say so now, and how to fix it.
  await assertTemporalReady(connection, config.temporal.namespace).catch(async (error: unknown) => {
    await connection.close();
    await app.close();
    throw error;
  });
  const worker = await createTandemWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: bundleWorkflowsInChild(),
    drainSeconds: config.workerDrainSeconds,
    maxCachedWorkflows: config.workflowCacheSize,
    deps: {
      db: app.db,
      mailer: app.mailer,
      policy: app.policy,
      mailFrom: config.mailFrom,
      publicUrl: config.publicUrl,
      secret: config.secret,
      dataKey: config.dataKey,
    },
  });
  const operations = await startWorkerOperations(app, connection);
  const missing = missingLaunchSettings();
  if (missing.length) log.warn({ missing }, 'worker launched without its memory settings (see src/worker/process-settings.ts); it will use more memory');
  log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address, metricsPort: operations.port }, 'worker started');
  try {
    await worker.run();
  } finally {
    await operations.close();
    await connection.close();
    await app.close();
    log.info('worker stopped');
  }
}
