/**
 * The production worker process, started by `tandem worker` (and `npm run worker`, which runs it).
 * Runs until SIGINT or SIGTERM, then lets in-flight tasks finish and exits.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config/env.ts';
import { connectWorker } from '../temporal/connection.ts';
import { bundleWorkflowsInChild } from './bundle-workflows.ts';
import { createTandemWorker } from './create-worker.ts';
import { missingLaunchSettings } from './process-settings.ts';

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  const app = await openAppContext(config);
  const log = app.logger.child({ component: 'worker' });
  Runtime.install({
    logger: new DefaultLogger(config.logLevel === 'silent' ? 'ERROR' : (config.logLevel.toUpperCase() as LogLevel), (entry) => {
      const level = entry.level.toLowerCase() as 'info';
      (log[level] ?? log.info).call(log, entry.meta ?? {}, entry.message);
    }),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
  });
  const connection = await connectWorker(config.temporal);
  const worker = await createTandemWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: bundleWorkflowsInChild(),
    deps: { db: app.db, mailer: app.mailer, policy: app.policy, mailFrom: config.mailFrom, publicUrl: config.publicUrl, secret: config.secret, dataKey: config.dataKey },
  });
  const missing = missingLaunchSettings();
  if (missing.length) log.warn({ missing }, 'worker launched without its memory settings (see src/worker/process-settings.ts); it will use more memory');
  log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker started');
  try {
    await worker.run();
  } finally {
    await connection.close();
    await app.close();
    log.info('worker stopped');
  }
}
