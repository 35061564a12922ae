/**
 * npm run drill — fault drills on a real stack this command starts for itself:
 *
 *   a Temporal dev server on a SQLite file, the worker as a child process (`tandem worker`),
 *   a PRIVATE Postgres cluster (initdb in a temporary directory, so restarting it disturbs
 *   nothing else), and an SMTP sink in its own process that appends every accepted message's
 *   Message-ID to a file before it answers 250.
 *
 * Each drill enrolls its own cohort (every cycle then sends "share your expectations" to its
 * mentor and mentee, a burst of 2 × pairs messages) and injects its fault mid-burst:
 *
 *   kill      the worker SIGKILLed three times, restarted each time
 *   smtp      the SMTP server killed, down for --smtp-down seconds (60), then back
 *   postgres  Postgres restarted (fast shutdown, 5 s down)
 *   temporal  the Temporal dev server stopped and started again from its SQLite file
 *
 * With --cluster the stack is a real Temporal cluster instead (src/dev/temporal-cluster.ts: the
 * v1.30.4 server built from Go, persistence and SQL visibility on the machine's Postgres, four
 * history shards; namespace and search attributes made by Tandem) and TWO workers, and there
 * are two more drills:
 *
 *   kill-one     one of the two workers SIGKILLed mid-burst and left dead: the other finishes
 *   server-kill  the Temporal server process SIGKILLed and started again on its databases
 *
 * Then it waits for the cohort to settle and counts: every expected message delivered exactly
 * once (a duplicate is counted and explained by its outbox row), no message the outbox does
 * not know, every outbox row sent, and every cycle in step `expectations` owed by the mentor,
 * both in the Postgres projection and in the workflow's own query. Prints a table; exits 1 on
 * any failure.
 *
 *   npm run drill -- --pairs 300 --kill-pairs 600 --smtp-down 60 --only kill,smtp,postgres,temporal
 *   npm run drill -- --cluster            (every drill, plus kill-one and server-kill)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { createDb, dropDatabase, ensureDatabaseExists } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { freePort } from '../src/dev/free-port.ts';
import { startTemporalDevServer, type DevServer } from '../src/dev/temporal-dev-server.ts';
import { parsePolicy } from '../src/domain/policy.ts';
import { importRoster } from '../src/enrollment/import-roster.ts';
import { forEachConcurrently } from '../src/cycles/start-cycles.ts';
import { ensureTemporalCli } from '../src/temporal/cli-binary.ts';
import { cycleViewQuery } from '../src/workflows/definitions.ts';
import { ensureClusterBinaries, setupClusterPersistence, startTemporalCluster, type TemporalCluster } from '../src/dev/temporal-cluster.ts';
import { prepareTemporal } from '../src/temporal/prepare-temporal.ts';
import defaultPolicy from '../policy/default.json' with { type: 'json' };
import { benchRoster } from './enroll.ts';
import { startPrivatePostgres } from './drill/private-postgres.ts';
import { SinkProcess } from './drill/sink-process-control.ts';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.ts';

const { values: flags } = parseArgs({
  options: {
    pairs: { type: 'string', default: '300' },
    'kill-pairs': { type: 'string', default: '600' },
    'smtp-down': { type: 'string', default: '60' },
    'settle-timeout': { type: 'string', default: '600' },
    only: { type: 'string' },
    cluster: { type: 'boolean', default: false },
  },
});
const CLUSTER = flags.cluster!;
const PAIRS = Number(flags.pairs);
const KILL_PAIRS = Number(flags['kill-pairs']);
const SMTP_DOWN_MS = Number(flags['smtp-down']) * 1000;
const SETTLE_MS = Number(flags['settle-timeout']) * 1000;
const ONLY = (flags.only ?? (CLUSTER ? 'kill,kill-one,smtp,postgres,temporal,server-kill' : 'kill,smtp,postgres,temporal')).split(',').map((s) => s.trim());
for (const [name, n] of Object.entries({ pairs: PAIRS, 'kill-pairs': KILL_PAIRS, 'smtp-down': SMTP_DOWN_MS, 'settle-timeout': SETTLE_MS })) {
  if (!Number.isFinite(n) || n < 0) throw new Error(`drill: --${name} must be a number ≥ 0`);
}

const say = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const TASK_QUEUE = 'tandem-drill';

// ── the stack ────────────────────────────────────────────────────────────────
const work = mkdtempSync(path.join(tmpdir(), 'tandem-drill-'));
const pg = await startPrivatePostgres(await freePort());
const databaseUrl = pg.url.replace(/\/postgres$/, '/tandem_drill');
await ensureDatabaseExists(databaseUrl);
const db = createDb(databaseUrl, 5);
await migrateToLatest(db);
const policy = parsePolicy(defaultPolicy);
let temporalAddress: string;
let temporalOptions: Parameters<typeof startTemporalDevServer>[0] | undefined;
let temporal: DevServer | undefined;
let cluster: TemporalCluster | undefined;
// The cluster's own databases, on the machine's Postgres (the private one is restarted by a drill).
const clusterDb = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  password: '',
  database: `temporal_drill_${process.pid}`,
  visibilityDatabase: `temporal_drill_${process.pid}_visibility`,
};
if (CLUSTER) {
  const binaries = ensureClusterBinaries((line) => say(line));
  await setupClusterPersistence(binaries.sqlTool, clusterDb, (line) => say(line));
  cluster = await startTemporalCluster({ binaries, postgres: clusterDb, dir: path.join(work, 'cluster'), port: await clusterPort(), historyShards: 4 });
  temporalAddress = cluster.address;
  const setup = await Connection.connect({ address: temporalAddress });
  const lines = await prepareTemporal(new Client({ connection: setup }), { namespace: 'default', retentionDays: 1, policy, taskQueue: TASK_QUEUE });
  await setup.close();
  say(`Temporal cluster at ${temporalAddress}: ${lines.join(' ')}`);
} else {
  temporalAddress = `127.0.0.1:${await freePort()}`;
  temporalOptions = {
    cli: ensureTemporalCli(),
    dataDir: path.join(work, 'temporal'),
    address: temporalAddress,
    uiPort: await freePort(),
    namespace: 'default',
  };
  temporal = await startTemporalDevServer(temporalOptions);
}

/** A frontend port whose neighbours (+1…+3, +10, +50…+53, +100) are free too. */
async function clusterPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const probe = createServer()
        .once('error', () => resolve(false))
        .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
  for (let base = 17_233 + (process.pid % 50) * 200; ; base += 200) {
    const ports = [0, 1, 2, 3, 10, 50, 51, 52, 53, 100].map((d) => base + d);
    if ((await Promise.all(ports.map(free))).every(Boolean)) return base;
  }
}
const sink = new SinkProcess(await freePort(), path.join(work, 'sink.jsonl'));
await sink.start();
const workerEnv = { databaseUrl, temporalAddress, taskQueue: TASK_QUEUE, smtpUrl: sink.smtpUrl, dataDir: path.join(work, 'worker') };
/** The workers (two with --cluster); a slot left empty is a worker killed for good. */
const workers: (WorkerProcess | undefined)[] = [];
let worker: WorkerProcess; // the first, which the kill drill kills and restarts
let killedByUs = false;
let unexpectedExits = 0;
async function startWorker(slot = 0): Promise<void> {
  const started = await startWorkerProcess(workerEnv);
  workers[slot] = started;
  if (slot === 0) worker = started;
  void started.exited.then((how) => {
    if (!killedByUs && workers[slot] === started) {
      unexpectedExits++;
      say(`worker ${slot + 1} exited on its own (${how}); restarting it. Its last words:\n${started.output().trim().split('\n').slice(-15).join('\n')}`);
      void restartUntilUp(slot);
    }
  });
}
/** After a crash the worker may not start at once (Postgres still down): keep trying, as a supervisor would. */
async function restartUntilUp(slot: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await startWorker(slot);
      return;
    } catch (error) {
      say(`  worker ${slot + 1} restart ${attempt} failed (${String(error).split('\n')[1] ?? error}); trying again in 2 s`);
      await sleep(2_000);
    }
  }
}
await startWorker(0);
if (CLUSTER) await startWorker(1);
const connection = await Connection.connect({ address: temporalAddress });
const client = new Client({ connection });
say(
  `stack up: private Postgres :${pg.port}, Temporal ${temporalAddress} (${CLUSTER ? 'cluster: Postgres persistence and visibility, 4 shards' : `SQLite in ${temporalOptions!.dataDir}`}), SMTP sink :${sink.port}, worker pids ${workers.map((w) => w!.child.pid).join(', ')}`,
);

// ── one drill ────────────────────────────────────────────────────────────────
interface DrillRow {
  drill: string;
  fault: string;
  expected: number;
  delivered: number;
  duplicates: number;
  missing: number;
  unknown: number;
  unsent: number;
  projectionOk: string;
  workflowOk: string;
  seconds: number;
  notes: string[];
  pass: boolean;
}

const recipientPattern = (tag: string) => new RegExp(`^(mentor|mentee)\\.${tag}-\\d+@example\\.edu$`);

function cohortRecords(tag: string) {
  const pattern = recipientPattern(tag);
  return sink.records().filter((r) => r.to.some((a) => pattern.test(a)));
}

async function waitForDelivered(tag: string, count: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = new Set(cohortRecords(tag).map((r) => r.messageId)).size;
    if (got >= count || Date.now() > deadline) return got;
    await sleep(100);
  }
}

async function cohortCycles(tag: string) {
  return db
    .selectFrom('cycles')
    .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
    .innerJoin('people', 'people.id', 'pairs.mentee_id')
    .select(['cycles.id', 'cycles.workflow_id', 'cycles.status', 'cycles.current_step', 'cycles.owed_by'])
    .where('people.email', 'like', `mentee.${tag}-%@example.edu`)
    .execute();
}

async function drill(name: string, fault: string, tag: string, pairs: number, inject: (expected: number) => Promise<string[]>): Promise<DrillRow> {
  say(`▶ ${name}: ${fault}; ${pairs} pairs → ${pairs * 2} messages`);
  const t0 = performance.now();
  const expected = pairs * 2;
  const enrolled = await importRoster({ db, temporal: client, taskQueue: TASK_QUEUE, policy }, benchRoster(pairs, new Date().getUTCFullYear(), `${tag}-`));
  if (!enrolled.ok || enrolled.summary.cycles?.started !== pairs)
    throw new Error(`${name}: enrollment failed: ${JSON.stringify(enrolled.ok ? enrolled.summary : enrolled.problems.slice(0, 3))}`);
  const notes = await inject(expected);

  // Settle: every outbox row of the cohort sent and every message received, or the timeout.
  const cycles = await cohortCycles(tag);
  const ids = cycles.map((c) => c.id);
  const settleDeadline = Date.now() + SETTLE_MS;
  let outbox: { message_id: string; status: string; attempts: number; last_error: string | null }[] = [];
  for (;;) {
    outbox = await db.selectFrom('outbox').select(['message_id', 'status', 'attempts', 'last_error']).where('cycle_id', 'in', ids).execute();
    const received = new Set(cohortRecords(tag).map((r) => r.messageId));
    const done = outbox.length >= expected && outbox.every((o) => o.status === 'sent' && received.has(o.message_id));
    if (done || Date.now() > settleDeadline) break;
    await sleep(2_000);
  }
  // A little longer, so a late duplicate is counted too.
  await sleep(3_000);

  const records = cohortRecords(tag);
  const byId = new Map<string, number>();
  for (const r of records) byId.set(r.messageId, (byId.get(r.messageId) ?? 0) + 1);
  const known = new Map(outbox.map((o) => [o.message_id, o]));
  const delivered = [...byId.keys()].filter((id) => known.has(id)).length;
  const unknown = [...byId.keys()].filter((id) => !known.has(id)).length;
  const duplicates = [...byId.values()].reduce((sum, n) => sum + n - 1, 0);
  const unsent = outbox.filter((o) => o.status !== 'sent').length;
  const missing = expected - delivered;
  const wrongKinds = records.filter((r) => r.kind !== 'expectations-requested').length;
  if (wrongKinds) notes.push(`${wrongKinds} messages of another kind than expectations-requested`);
  if (outbox.length !== expected) notes.push(`outbox has ${outbox.length} rows, expected ${expected}`);
  for (const [id, n] of byId) {
    if (n < 2) continue;
    const row = known.get(id);
    notes.push(
      `duplicate ×${n} of ${id}: outbox attempts ${row?.attempts ?? '?'} — the relay accepted an attempt whose sent mark was never written (process or connection lost between 250 and the mark), so the row was claimed again; same Message-ID, so clients show one message`,
    );
  }

  // Steps: the projection and each workflow's own view.
  const now = await cohortCycles(tag);
  const projectionGood = now.filter((c) => c.status === 'running' && c.current_step === 'expectations' && c.owed_by === 'mentor').length;
  let workflowGood = 0;
  await forEachConcurrently(now, 16, async (c) => {
    const view = await client.workflow.getHandle(c.workflow_id).query(cycleViewQuery);
    const step = view.steps.find((s) => s.id === 'expectations');
    if (view.status === 'running' && step?.state === 'open' && step.owedBy === 'mentor') workflowGood++;
  });
  const pass =
    missing === 0 && unknown === 0 && unsent === 0 && wrongKinds === 0 && outbox.length === expected && projectionGood === pairs && workflowGood === pairs;
  const row: DrillRow = {
    drill: name,
    fault,
    expected,
    delivered,
    duplicates,
    missing,
    unknown,
    unsent,
    projectionOk: `${projectionGood}/${pairs}`,
    workflowOk: `${workflowGood}/${pairs}`,
    seconds: (performance.now() - t0) / 1000,
    notes,
    pass,
  };
  say(
    `  ${pass ? 'pass' : 'FAIL'}: ${delivered}/${expected} delivered, ${duplicates} duplicates, ${missing} missing, ${unknown} unknown, ${unsent} unsent; in step: projection ${row.projectionOk}, workflow ${row.workflowOk} (${row.seconds.toFixed(0)} s)`,
  );
  for (const note of notes) say(`    ${note}`);
  return row;
}

// ── the faults ───────────────────────────────────────────────────────────────
async function killWorker(): Promise<void> {
  killedByUs = true;
  const dying = worker;
  dying.child.kill('SIGKILL');
  await dying.exited;
  await startWorker(0);
  killedByUs = false;
}

const drills: Record<string, () => Promise<DrillRow>> = {
  kill: () =>
    drill('kill', 'worker SIGKILLed 3× mid-burst', 'kill', KILL_PAIRS, async (expected) => {
      const notes: string[] = [];
      for (let k = 1; k <= 3; k++) {
        const at = await waitForDelivered('kill', Math.floor((expected * k) / 5), 60_000);
        const pid = worker.child.pid;
        await killWorker();
        notes.push(`SIGKILL ${k} (pid ${pid}) after ${at} delivered; restarted`);
        say(`  SIGKILL ${k} of the worker after ${at}/${expected} delivered; restarted (pid ${worker.child.pid})`);
      }
      notes.push('messages claimed by a killed worker wait for the heartbeat timeout (10 s) and the outbox lease (30 s) before they are sent');
      return notes;
    }),
  'kill-one': () =>
    drill('kill-one', 'one of two workers SIGKILLed for good mid-burst', 'one', PAIRS, async (expected) => {
      if (!CLUSTER) throw new Error('drill kill-one needs --cluster (two workers)');
      const at = await waitForDelivered('one', Math.floor(expected / 3), 60_000);
      const victim = workers[1]!;
      killedByUs = true;
      workers[1] = undefined; // not restarted: the first worker must finish everything
      victim.child.kill('SIGKILL');
      await victim.exited;
      killedByUs = false;
      say(`  worker 2 (pid ${victim.child.pid}) SIGKILLed for good after ${at}/${expected} delivered`);
      return [`worker 2 killed after ${at} delivered and not restarted; worker 1 finished the burst`];
    }),
  'server-kill': () =>
    drill('server-kill', 'Temporal server process SIGKILLed, started again', 'srv', PAIRS, async (expected) => {
      if (!cluster) throw new Error('drill server-kill needs --cluster');
      const at = await waitForDelivered('srv', Math.floor(expected / 5), 60_000);
      await cluster.kill();
      say(`  Temporal server SIGKILLed after ${at}/${expected} delivered`);
      await sleep(3_000);
      await cluster.start();
      say('  Temporal server back on its Postgres databases');
      return [`Temporal server killed after ${at} delivered, started again 3 s later`];
    }),
  smtp: () =>
    drill('smtp', `SMTP down ${SMTP_DOWN_MS / 1000} s mid-burst`, 'smtp', PAIRS, async (expected) => {
      const at = await waitForDelivered('smtp', Math.floor(expected / 5), 60_000);
      await sink.kill();
      say(`  SMTP sink killed after ${at}/${expected} delivered; down for ${SMTP_DOWN_MS / 1000} s`);
      await sleep(SMTP_DOWN_MS);
      await sink.start();
      say('  SMTP sink back on the same port');
      return [`SMTP killed after ${at} delivered, back after ${SMTP_DOWN_MS / 1000} s`];
    }),
  postgres: () =>
    drill('postgres', 'Postgres restarted mid-burst', 'pg', PAIRS, async (expected) => {
      const at = await waitForDelivered('pg', Math.floor(expected / 5), 60_000);
      say(`  Postgres restart after ${at}/${expected} delivered`);
      await pg.restart(5_000);
      say('  Postgres back');
      return [`Postgres stopped (fast) after ${at} delivered, up again after 5 s`];
    }),
  temporal: () =>
    drill(
      'temporal',
      CLUSTER ? 'Temporal server stopped (SIGTERM) and started again' : 'Temporal dev server restarted from its SQLite file',
      'tmp',
      PAIRS,
      async (expected) => {
        const at = await waitForDelivered('tmp', Math.floor(expected / 5), 60_000);
        say(`  Temporal server stop after ${at}/${expected} delivered`);
        if (cluster) {
          await cluster.stop();
          await cluster.start();
        } else {
          await temporal!.stop();
          temporal = await startTemporalDevServer(temporalOptions!);
        }
        say('  Temporal server back');
        return [`Temporal stopped after ${at} delivered, restarted on the same ${cluster ? 'databases' : 'file'}`];
      },
    ),
};

let tornDown = false;
async function tearDown(): Promise<void> {
  if (tornDown) return;
  tornDown = true;
  killedByUs = true;
  await Promise.all(workers.map((w) => w?.stop().catch(() => {})));
  await connection.close().catch(() => {});
  await db.destroy().catch(() => {});
  await sink.kill();
  await temporal?.stop().catch(() => {});
  if (cluster) {
    await cluster.stop().catch(() => {});
    for (const name of [clusterDb.database, clusterDb.visibilityDatabase]) await dropDatabase(`postgres://postgres@127.0.0.1:5432/${name}`).catch(() => {});
  }
  await pg.stop();
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: tearing the stack down`);
    void tearDown().finally(() => process.exit(130));
  });
}

const rows: DrillRow[] = [];
const t0 = performance.now();
try {
  for (const name of ONLY) {
    const run = drills[name];
    if (!run) throw new Error(`drill: --only: unknown drill "${name}" (known: ${Object.keys(drills).join(', ')})`);
    // The drill before may have killed the second worker for good: every drill starts with two.
    if (CLUSTER && !workers[1]) await startWorker(1);
    const exitsBefore = unexpectedExits;
    const sinkExitsBefore = sink.unexpectedExits;
    const row = await run();
    if (unexpectedExits > exitsBefore) {
      row.pass = false;
      row.notes.push(`the worker exited on its own ${unexpectedExits - exitsBefore}× during this drill`);
    }
    if (sink.unexpectedExits > sinkExitsBefore) {
      row.pass = false;
      row.notes.push(`the SMTP sink died on its own ${sink.unexpectedExits - sinkExitsBefore}× during this drill`);
    }
    rows.push(row);
  }
} finally {
  await tearDown();
}

const headers = ['drill', 'fault', 'expected', 'delivered', 'dupes', 'missing', 'unknown', 'unsent', 'step (projection)', 'step (workflow)', 'time', 'result'];
const cells = rows.map((r) => [
  r.drill,
  r.fault,
  String(r.expected),
  String(r.delivered),
  String(r.duplicates),
  String(r.missing),
  String(r.unknown),
  String(r.unsent),
  r.projectionOk,
  r.workflowOk,
  `${r.seconds.toFixed(0)} s`,
  r.pass ? 'pass' : 'FAIL',
]);
const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(headers)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}`);
for (const c of cells) console.log(line(c));
const duplicates = rows.reduce((s, r) => s + r.duplicates, 0);
console.log(
  `\n${rows.length} drills in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${duplicates} duplicate deliveries${duplicates ? ' (explained above)' : ''}.`,
);
process.exitCode = rows.every((r) => r.pass) && rows.length === ONLY.length ? 0 : 1;
