/**
 * A Tandem worker or web process of its own, for tests of what must hold across processes:
 * its own database pool, mailer and Temporal connection, configured from its environment like
 * production (loadConfig), with the production operations port. Prints one JSON line when ready
 * ({ ready: true, port?, metricsPort }); stops on SIGTERM.
 *
 *   node test/support/tandem-process.ts worker|web
 * The worker uses the bundle at WORKFLOW_BUNDLE_PATH (tests build one per run).
 */
import { NativeConnection } from '@temporalio/worker';
import { openAppContext } from '../../src/app-context.ts';
import { loadConfig } from '../../src/config/env.ts';
import { startWebProcess } from '../../src/web/main.ts';
import { createTandemWorker } from '../../src/worker/create-worker.ts';
import { installWorkerRuntime, startWorkerOperations } from '../../src/worker/operations.ts';
import { assertTemporalReady } from '../../src/temporal/prepare-temporal.ts';

const mode = process.argv[2];
const config = loadConfig();
const app = await openAppContext(config, { migrate: false });
const stopped = new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));

if (mode === 'worker') {
  installWorkerRuntime(config, app.logger, { shutdownSignals: [] });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  await assertTemporalReady(connection, config.temporal.namespace);
  const worker = await createTandemWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
    deps: { db: app.db, mailer: app.mailer, policy: app.policy, mailFrom: config.mailFrom, publicUrl: config.publicUrl, secret: config.secret },
  });
  const operations = await startWorkerOperations(app, connection);
  const running = worker.run();
  console.log(JSON.stringify({ ready: true, metricsPort: operations.port }));
  await stopped;
  worker.shutdown();
  await running;
  await operations.close();
  await connection.close();
} else if (mode === 'web') {
  const { web, operations } = await startWebProcess(app);
  await web.listen({ host: '127.0.0.1', port: 0 });
  const address = web.server.address();
  console.log(JSON.stringify({ ready: true, port: typeof address === 'object' && address ? address.port : 0, metricsPort: operations.port }));
  await stopped;
  await web.close();
  await operations.close();
} else {
  throw new Error('usage: tandem-process.ts worker|web');
}
await app.close();
