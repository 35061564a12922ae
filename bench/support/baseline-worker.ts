/**
 * The raw baselines' worker process: bench/support/baseline-workflows.ts over plain pooled
 * nodemailer, launched like the Tandem worker (same V8 and malloc settings, same SMTP pool),
 * so a baseline differs from Tandem's path only in what Tandem does.
 *   TEMPORAL_ADDRESS=… TEMPORAL_TASK_QUEUE=… SMTP_URL=… node bench/support/baseline-worker.ts
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { createMailTransport } from '../../src/mail/transport.ts';
import { stickyQueueWaitMs } from '../../src/worker/process-settings.ts';
import { createBaselineActivities } from './baseline-activities.ts';
import { benchWorkflowCacheSize } from './worker-process.ts';

const env = (name: string) =>
  process.env[name] ??
  (() => {
    throw new Error(`baseline worker: ${name} is not set`);
  })();
Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGINT', 'SIGTERM'] });
const mailer = createMailTransport(env('SMTP_URL'), { maxConnections: Number(process.env.SMTP_MAX_CONNECTIONS ?? 3) });
const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
const cacheSize = benchWorkflowCacheSize();
const worker = await Worker.create({
  connection,
  namespace: 'default',
  taskQueue: env('TEMPORAL_TASK_QUEUE'),
  workflowsPath: fileURLToPath(new URL('./baseline-workflows.ts', import.meta.url)),
  activities: createBaselineActivities(mailer),
  // The same cache as the Tandem worker beside it (both children get the bench's environment).
  maxCachedWorkflows: cacheSize,
  stickyQueueScheduleToStartTimeout: stickyQueueWaitMs(cacheSize),
});
console.log('"worker started"');
try {
  await worker.run();
} finally {
  mailer.close();
  await connection.close();
}
