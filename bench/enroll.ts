/**
 * npm run bench:enroll — how fast a 5,000-pair roster is enrolled, against the raw rate of
 * starting 5,000 no-op workflows on the same Temporal dev server in the same run.
 *
 * Everything is throwaway: a dev server on a free port with a temporary SQLite file, and a
 * fresh Postgres database. No worker runs during either measurement, so both measure starts
 * only (the workflows wait on their task queues). The raw baseline is measured before and after
 * the enrollment, and the ratio uses their mean, so the server's growth does not favour either.
 *
 * Options (environment): BENCH_PAIRS (5000), BENCH_CONCURRENCY (the enrollment default).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createDb, dropDatabase, ensureDatabaseExists } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { freePort } from '../src/dev/free-port.ts';
import { startTemporalDevServer } from '../src/dev/temporal-dev-server.ts';
import { parsePolicy } from '../src/domain/policy.ts';
import { importRoster } from '../src/enrollment/import-roster.ts';
import { DEFAULT_START_CONCURRENCY, forEachConcurrently } from '../src/enrollment/start-cycles.ts';
import { ensureTemporalCli } from '../src/temporal/cli-binary.ts';
import defaultPolicy from '../policy/default.json' with { type: 'json' };

const PAIRS = Number(process.env.BENCH_PAIRS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? DEFAULT_START_CONCURRENCY);
const GOAL = 0.8;

function roster(n: number, year: number): string {
  const lines = ['Mentor Name;Mentor Email;Mentor Pronouns;Mentee Name;Mentee Preferred Name;Mentee Email;Mentee Time Zone;Program;Academic Year;Meeting Preferences'];
  for (let i = 0; i < n; i++) {
    lines.push(`Mentor ${i};Mentor.${i}@Example.edu;they/them;Mentee ${i};M${i};mentee.${i}@example.edu;Europe/Berlin;PhD Biology;${year};"Tuesdays; in person"`);
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

async function rawStarts(client: Client, n: number, label: string): Promise<number> {
  const taskQueue = `bench-raw-${randomUUID()}`;
  const t0 = performance.now();
  await forEachConcurrently(Array.from({ length: n }, (_, i) => i), CONCURRENCY, async (i) => {
    await client.workflow.start('benchNoop', { workflowId: `${label}-${i}`, taskQueue, workflowIdReusePolicy: 'REJECT_DUPLICATE' });
  });
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-'));
  const address = `127.0.0.1:${await freePort()}`;
  const server = await startTemporalDevServer({ cli: ensureTemporalCli(), dataDir, address, uiPort: await freePort(), namespace: 'default' });
  const databaseUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  databaseUrl.pathname = `/tandem_bench_${process.pid}_${Date.now().toString(36)}`;
  await ensureDatabaseExists(databaseUrl.toString());
  const db = createDb(databaseUrl.toString());
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  try {
    await migrateToLatest(db);
    const policy = parsePolicy(defaultPolicy);
    const year = new Date().getUTCFullYear() + 1;
    const csv = roster(PAIRS, year);
    console.log(`Temporal dev server ${address} (SQLite in ${dataDir}), database ${databaseUrl.pathname.slice(1)}; ${PAIRS} pairs, concurrency ${CONCURRENCY}, no worker running.`);

    await rawStarts(client, 200, 'warmup');
    const rawBefore = await rawStarts(client, PAIRS, 'raw-before');
    console.log(`raw: ${PAIRS} no-op starts in ${rawBefore.toFixed(2)} s (${(PAIRS / rawBefore).toFixed(0)}/s)`);

    const t0 = performance.now();
    let committedSeconds = 0;
    const result = await importRoster({ db, temporal: client, taskQueue: 'tandem-bench', policy }, csv, {
      concurrency: CONCURRENCY,
      onCommitted: () => (committedSeconds = (performance.now() - t0) / 1000),
    });
    const enrollSeconds = (performance.now() - t0) / 1000;
    if (!result.ok || result.summary.cycles?.started !== PAIRS) throw new Error(`enrollment did not start every cycle: ${JSON.stringify(result.ok ? result.summary : result.problems.slice(0, 5))}`);
    console.log(`enroll: ${PAIRS} pairs in ${enrollSeconds.toFixed(2)} s (${(PAIRS / enrollSeconds).toFixed(0)} pairs/s); parse, validate and commit took ${committedSeconds.toFixed(2)} s of it`);

    const rawAfter = await rawStarts(client, PAIRS, 'raw-after');
    console.log(`raw: ${PAIRS} no-op starts in ${rawAfter.toFixed(2)} s (${(PAIRS / rawAfter).toFixed(0)}/s)`);

    const t1 = performance.now();
    const again = await importRoster({ db, temporal: client, taskQueue: 'tandem-bench', policy }, csv, { concurrency: CONCURRENCY });
    const reimportSeconds = (performance.now() - t1) / 1000;
    if (!again.ok || again.summary.cycles?.alreadyRunning !== PAIRS || again.summary.cycles.started !== 0) throw new Error('re-import was not a no-op');
    console.log(`re-import (no-op): ${reimportSeconds.toFixed(2)} s`);

    const rawRate = (PAIRS / rawBefore + PAIRS / rawAfter) / 2;
    const enrollRate = PAIRS / enrollSeconds;
    const ratio = enrollRate / rawRate;
    console.log(`ratio: ${ratio.toFixed(2)} of the raw start rate (goal ≥ ${GOAL}) — ${ratio >= GOAL ? 'met' : 'NOT met'}`);

    const results = {
      benchmark: 'enroll',
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      pairs: PAIRS,
      concurrency: CONCURRENCY,
      workerRunning: false,
      server: 'temporal server start-dev, SQLite file',
      rawStartsPerSecond: { before: PAIRS / rawBefore, after: PAIRS / rawAfter, mean: rawRate },
      enrollPairsPerSecond: enrollRate,
      enrollSeconds,
      parseValidateCommitSeconds: committedSeconds,
      reimportSeconds,
      ratio,
      goal: GOAL,
      goalMet: ratio >= GOAL,
    };
    const dir = path.resolve(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `enroll-${results.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await connection.close();
    await db.destroy();
    await dropDatabase(databaseUrl.toString());
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
