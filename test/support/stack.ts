/**
 * A test's own slice of the real stack: a worker on a fresh task queue, an SMTP sink,
 * a database handle and a Temporal client, all on the servers started in global-setup.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { inject } from 'vitest';
import { createDb } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { Policy } from '../../src/domain/policy.ts';
import { testPolicy } from './policy.ts';
import { MailCatcher } from '../../src/mail/catcher.ts';
import { createMailTransport } from '../../src/mail/transport.ts';
import { createTandemWorker } from '../../src/worker/create-worker.ts';

let runtimeInstalled = false;

/** Signs the action links the test worker emails. */
export const TEST_SECRET = 'test-secret-for-signed-links-0123456789';

export interface TestStack {
  db: Kysely<Database>;
  client: Client;
  mail: MailCatcher;
  taskQueue: string;
  policy: Policy;
  worker: Worker;
  /** Starts (or restarts) the worker; resolves once it is polling. */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export { testPolicy };

/** `smtpUrl`: a relay in front of the sink (e.g. one that holds mail back); the sink still catches what it passes on. */
export async function startTestStack(options: { policy?: Policy; smtpUrl?: (sinkUrl: string) => Promise<string> } = {}): Promise<TestStack> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    runtimeInstalled = true;
  }
  const policy = options.policy ?? testPolicy();
  const db = createDb(inject('databaseUrl'), 5);
  const mail = new MailCatcher();
  await mail.listen();
  const mailer = createMailTransport(options.smtpUrl ? await options.smtpUrl(mail.smtpUrl) : mail.smtpUrl);
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const taskQueue = `test-${randomUUID()}`;
  let running: Promise<void> | undefined;

  const stack: TestStack = {
    db,
    client,
    mail,
    taskQueue,
    policy,
    worker: undefined as unknown as Worker,
    async startWorker() {
      stack.worker = await createTandemWorker({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        deps: { db, mailer, policy, mailFrom: 'Biology Mentoring <mentoring@biology.example.edu>', publicUrl: 'http://tandem.test', secret: TEST_SECRET },
      });
      running = stack.worker.run();
    },
    async stopWorker() {
      if (!running) return;
      stack.worker.shutdown();
      await running;
      running = undefined;
    },
    async close() {
      await stack.stopWorker();
      await nativeConnection.close();
      await connection.close();
      mailer.close();
      await mail.close();
      await db.destroy();
    },
  };
  await stack.startWorker();
  return stack;
}
