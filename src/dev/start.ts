/**
 * `npm start`: Tandem on its embedded defaults, on one machine. Brings up the Temporal dev
 * server (SQLite), migrates Postgres, starts a mail catcher with a browser inbox, the
 * worker and the web app, prints where to look, and stops all of it on Ctrl-C.
 */
import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { openAppContext, type AppContext } from '../app-context.ts';
import { ConfigError, DEFAULTS, loadConfig } from '../config/env.ts';
import { DatabaseUnreachableError } from '../../db/connection.ts';
import { PolicyError } from '../domain/policy.ts';
import { MailCatcher } from '../mail/catcher.ts';
import { ensureTemporalCli } from '../temporal/cli-binary.ts';
import { connectClient, connectWorker } from '../temporal/connection.ts';
import { prepareTemporal, TemporalSetupError } from '../temporal/prepare-temporal.ts';
import { buildWebServer } from '../web/server.ts';
import { ensureBootstrapCoordinator } from '../staff/bootstrap.ts';
import { createTandemWorker } from '../worker/create-worker.ts';
import { startInboxServer } from './inbox-server.ts';
import { isTemporalReachable, startTemporalDevServer, type DevServer } from './temporal-dev-server.ts';

function devPort(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigError(name, `must be a port number 1-65535 (got "${raw}")`);
  return n;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const uiPort = devPort('TEMPORAL_UI_PORT', 8233);
  const inboxPort = devPort('MAIL_INBOX_PORT', 8025);
  const stops: { name: string; stop: () => Promise<unknown> }[] = [];
  const onStop = (name: string, stop: () => Promise<unknown>) => stops.push({ name, stop });
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Tandem…');
    for (const { name, stop } of stops.reverse()) {
      // Nothing may keep Ctrl-C from working: each part gets a few seconds, then we move on.
      const outcome = await Promise.race([
        stop().then(
          () => 'stopped',
          (e: unknown) => `failed: ${(e as Error).message}`,
        ),
        delay(10_000, 'timed out'),
      ]);
      console.log(`  ${outcome === 'stopped' ? '✓' : '!'} ${name} ${outcome}`);
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    console.log('Starting Tandem on its embedded defaults…');
    const app: AppContext = await openAppContext(config);
    onStop('database and mailer', () => app.close());
    console.log(`  ✓ Postgres migrated (${app.config.databaseUrl.replace(/:[^:@/]+@/, ':***@')})`);

    let temporalUi = '(an existing Temporal server; see its own UI)';
    if (await isTemporalReachable(config.temporal.address)) {
      // Not a dev server we started: it may lack the namespace, the search attributes or the schedule.
      const client = await connectClient(config.temporal);
      try {
        const done = await prepareTemporal(client, {
          namespace: config.temporal.namespace,
          retentionDays: config.temporal.retentionDays,
          policy: app.policy,
          taskQueue: config.temporal.taskQueue,
        });
        console.log(`  ✓ Temporal already running at ${config.temporal.address}; using it (${done.join(' ')})`);
      } finally {
        await client.connection.close();
      }
    } else {
      const cli = ensureTemporalCli((line) => console.log(`  … ${line}`));
      const server: DevServer = await startTemporalDevServer({
        cli,
        dataDir: config.dataDir,
        address: config.temporal.address,
        uiPort,
        namespace: config.temporal.namespace,
      });
      onStop('Temporal dev server', () => server.stop());
      temporalUi = server.uiUrl;
      console.log(`  ✓ Temporal dev server at ${server.address} (SQLite in ${config.dataDir})`);
    }

    let inboxUrl = `(mail goes to ${config.smtpUrl})`;
    if (config.smtpUrl === DEFAULTS.SMTP_URL) {
      const catcher = new MailCatcher({ port: Number(new URL(config.smtpUrl).port), limit: 5_000 });
      await catcher.listen();
      onStop('mail catcher', () => catcher.close());
      const inbox: Server = await startInboxServer(catcher, inboxPort);
      onStop('mail inbox', () => new Promise((r) => inbox.close(r)));
      inboxUrl = `http://127.0.0.1:${inboxPort}`;
      console.log(`  ✓ Mail catcher on ${config.smtpUrl}`);
    }

    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    const connection = await connectWorker(config.temporal);
    const worker = await createTandemWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
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
    const running = worker.run();
    onStop('worker', async () => {
      worker.shutdown();
      await running;
      await connection.close();
    });
    console.log(`  ✓ Worker on task queue "${config.temporal.taskQueue}"`);

    const web = await buildWebServer(app);
    await web.listen({ host: config.web.host, port: config.web.port });
    onStop('web app', () => web.close());
    const coordinator = await ensureBootstrapCoordinator(app);

    console.log(`
Tandem is running. Ctrl-C stops everything it started.

  Web app       ${config.publicUrl}
  Temporal UI   ${temporalUi}
  Mail inbox    ${inboxUrl}
${coordinator ? `\n  Coordinator   ${coordinator.name} <${coordinator.email}>: sign in once, within the hour, at\n                ${coordinator.loginUrl}\n                (later: ask for a link at ${config.publicUrl}/login)\n` : ''}
Try it:  npm run tandem -- enroll-pair --mentor-name "Ada Lovelace" --mentor-email ada@example.edu \\
           --mentee-name "Grace Hopper" --mentee-preferred-name Grace --mentee-email grace@example.edu --mentee-pronouns she/her
`);
    await running;
  } catch (error) {
    const known =
      error instanceof ConfigError || error instanceof PolicyError || error instanceof DatabaseUnreachableError || error instanceof TemporalSetupError;
    console.error(`tandem: ${known ? (error as Error).message : (error as Error).stack}`);
    await stopAll(known ? 2 : 1);
  }
}

void main();
