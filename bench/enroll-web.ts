/**
 * Enrollment through the coordinator's page against the CLI's import, in the same run, on the
 * same throwaway Temporal dev server and Postgres database:
 *
 *   preview — a roster of `pairs` rows uploaded to /dashboard/enrollment/preview over HTTP
 *             (multipart, as a browser sends it) until the preview page is back; `samples`
 *             times, p95 reported (goal ≤ 2 s);
 *   import  — the web path (upload → preview, confirm → reload the import's page until every
 *             cycle has started) against the CLI path (runRosterImport, what `tandem enroll`
 *             runs) for two rosters of the same shape and size (the same file twice would be a
 *             no-op the second time); goal: the web rate ≥ 0.9 × the CLI rate.
 *
 * Both paths hand the starts to the roster import workflow; a worker in this process runs it on
 * its own task queue, and no worker polls the cycles' queue, so both measure starts only (as the
 * enroll scenario does).
 */
import { createHash, randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import Fastify from 'fastify';
import { parsePolicy } from '../src/domain/policy.ts';
import { runRosterImport } from '../src/enrollment/run-roster-import.ts';
import { createMailTransport } from '../src/mail/transport.ts';
import { enrollmentPageRoutes } from '../src/web/coordinator/enrollment-page-routes.ts';
import { createStaffAuth } from '../src/web/staff/staff-auth.ts';
import { SESSION_MAX_AGE_SECONDS } from '../src/staff/sessions.ts';
import { upsertStaff } from '../src/staff/accounts.ts';
import { createTandemWorker } from '../src/worker/create-worker.ts';
import defaultPolicy from '../policy/default.json' with { type: 'json' };
import { benchRoster } from './enroll.ts';
import { throwawayDatabase, throwawayTemporal } from './support/throwaway.ts';

export const PREVIEW_P95_GOAL_SECONDS = 2;
export const WEB_TO_CLI_GOAL = 0.9;

export interface EnrollWebBenchResult {
  pairs: number;
  previewSeconds: number[];
  previewP95Seconds: number;
  webSeconds: number;
  cliSeconds: number;
  webPairsPerSecond: number;
  cliPairsPerSecond: number;
  ratio: number;
  previewGoalMet: boolean;
  ratioGoalMet: boolean;
}

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)]!;

export async function runEnrollWebBench(options: { pairs?: number; samples?: number; log?: (line: string) => void } = {}): Promise<EnrollWebBenchResult> {
  const pairs = options.pairs ?? 5_000;
  const samples = options.samples ?? 10;
  const log = options.log ?? console.log;
  const temporal = await throwawayTemporal();
  const database = await throwawayDatabase('enrollweb');
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // Installed already by an earlier scenario in this process.
  }
  const native = await NativeConnection.connect({ address: temporal.address });
  const policy = parsePolicy(defaultPolicy);
  const db = database.db;
  const importQueue = 'bench-roster-imports';
  const cycleQueue = 'bench-cycles-unworked';
  const mailer = createMailTransport('smtp://127.0.0.1:9');
  const worker = await createTandemWorker({
    connection: native,
    namespace: 'default',
    taskQueue: importQueue,
    deps: { db, mailer, policy, mailFrom: 'Bench <bench@example.edu>', publicUrl: 'http://bench.test', secret: 'bench-secret-0123456789-0123456789-abcdef' },
  });
  const running = worker.run();
  const publicUrl = 'http://127.0.0.1';
  const web = Fastify({ logger: false });
  const auth = createStaffAuth({ db, publicUrl, departmentName: policy.department.name });
  await web.register(formbody);
  await web.register(enrollmentPageRoutes, { db, policy, auth, temporal: async () => client, taskQueue: cycleQueue, importTaskQueue: importQueue });
  const address = await web.listen({ host: '127.0.0.1', port: 0 });
  try {
    // A signed-in coordinator, as the sign-in link would leave them.
    await db
      .insertInto('departments')
      .values({ id: policy.department.id, name: policy.department.name })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const staff = await upsertStaff(db, {
      departmentId: policy.department.id,
      email: 'bench.coordinator@example.edu',
      name: 'Bench Coordinator',
      roles: ['coordinator'],
    });
    const sessionId = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const at = new Date();
    await db
      .insertInto('staff_sessions')
      .values({
        id_hash: createHash('sha256').update(sessionId).digest('hex'),
        staff_id: staff.id,
        csrf_token: csrf,
        created_at: at,
        last_seen_at: at,
        expires_at: new Date(at.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
      })
      .execute();
    const headers = { cookie: `${auth.cookieName}=${sessionId}`, origin: publicUrl };
    const year = new Date().getUTCFullYear() + 1;
    const webRoster = Buffer.from(benchRoster(pairs, year, 'web-'));
    const cliRoster = Buffer.from(benchRoster(pairs, year, 'cli-'));
    log(`enroll-web: Temporal dev server ${temporal.address}, ${pairs}-row rosters, import workflow worker in-process, cycles unworked`);

    const upload = async (bytes: Buffer): Promise<string> => {
      const form = new FormData();
      form.append('_csrf', csrf);
      form.append('roster', new Blob([bytes], { type: 'text/csv' }), 'roster.csv');
      const response = await fetch(`${address}/dashboard/enrollment/preview`, { method: 'POST', headers, body: form });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`preview answered ${response.status}: ${body.slice(0, 500)}`);
      return /name="importId" value="([^"]+)"/.exec(body)![1]!;
    };

    const previewSeconds: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await upload(webRoster);
      previewSeconds.push((performance.now() - t0) / 1000);
    }
    log(`enroll-web: preview of ${pairs} rows: ${previewSeconds.map((s) => s.toFixed(2)).join(', ')} s; p95 ${p95(previewSeconds).toFixed(2)} s`);

    // The CLI path first, then the web path, each with its own roster.
    const c0 = performance.now();
    const cli = await runRosterImport(
      { db, temporal: client, taskQueue: cycleQueue, importTaskQueue: importQueue, policy },
      cliRoster,
      { source: 'cli' },
      { fileName: 'cli.csv' },
    );
    const cliSeconds = (performance.now() - c0) / 1000;
    if (!cli.ok || cli.summary.cycles?.started !== pairs)
      throw new Error(`the CLI import did not start every cycle: ${JSON.stringify(cli.ok ? cli.summary : cli.problems.slice(0, 3))}`);
    log(`enroll-web: CLI path ${pairs} pairs in ${cliSeconds.toFixed(2)} s (${(pairs / cliSeconds).toFixed(0)} pairs/s)`);

    const w0 = performance.now();
    const importId = await upload(webRoster);
    const confirm = await fetch(`${address}/dashboard/enrollment/confirm`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, importId }),
      redirect: 'manual',
    });
    if (confirm.status !== 303) throw new Error(`confirm answered ${confirm.status}: ${(await confirm.text()).slice(0, 500)}`);
    // As a coordinator reloading the import's page until it says every cycle has started.
    for (;;) {
      const progress = await fetch(`${address}${confirm.headers.get('location')}`, { headers });
      if ((await progress.text()).includes('id="import-complete"')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const webSeconds = (performance.now() - w0) / 1000;
    const started = await db
      .selectFrom('roster_import_starts')
      .select(db.fn.countAll<number>().as('n'))
      .where('import_id', '=', importId)
      .where('status', '=', 'started')
      .executeTakeFirstOrThrow();
    if (Number(started.n) !== pairs) throw new Error(`the web import started ${started.n} of ${pairs} cycles`);
    log(`enroll-web: web path ${pairs} pairs in ${webSeconds.toFixed(2)} s (${(pairs / webSeconds).toFixed(0)} pairs/s)`);

    const ratio = cliSeconds / webSeconds;
    return {
      pairs,
      previewSeconds,
      previewP95Seconds: p95(previewSeconds),
      webSeconds,
      cliSeconds,
      webPairsPerSecond: pairs / webSeconds,
      cliPairsPerSecond: pairs / cliSeconds,
      ratio,
      previewGoalMet: p95(previewSeconds) <= PREVIEW_P95_GOAL_SECONDS,
      ratioGoalMet: ratio >= WEB_TO_CLI_GOAL,
    };
  } finally {
    await web.close();
    worker.shutdown();
    await running;
    await native.close();
    await connection.close();
    mailer.close();
    await database.stop();
    await temporal.stop();
  }
}
