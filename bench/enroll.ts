/**
 * Enrollment speed: how fast a roster of `pairs` is enrolled, against the raw rate of starting
 * the same number of no-op workflows on the same Temporal dev server in the same run.
 *
 * Everything is throwaway: a dev server on a free port with a temporary SQLite file, and a
 * fresh Postgres database. No worker runs during either measurement, so both measure starts
 * only (the workflows wait on their task queues). The raw baseline is measured before and after
 * the enrollment, and the ratio uses their mean, so the server's growth does not favour either.
 *
 * `npm run bench` runs it as one scenario; `npm run bench:enroll` alone, with options from
 * the environment: BENCH_PAIRS (5000), BENCH_CONCURRENCY (the enrollment default).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { parsePolicy } from '../src/domain/policy.ts';
import { importRoster } from '../src/enrollment/import-roster.ts';
import { DEFAULT_START_CONCURRENCY, forEachConcurrently } from '../src/cycles/start-cycles.ts';
import defaultPolicy from '../policy/default.json' with { type: 'json' };
import { throwawayDatabase, throwawayTemporal } from './support/throwaway.ts';

export const ENROLL_GOAL = 0.8;

export interface EnrollBenchOptions {
  pairs?: number;
  concurrency?: number;
  /** Academic year of the roster; the default (next year) keeps the cycles waiting to begin. */
  academicYear?: number;
  log?: (line: string) => void;
}

export interface EnrollBenchResult {
  pairs: number;
  concurrency: number;
  rawStartsPerSecond: { before: number; after: number; mean: number };
  enrollPairsPerSecond: number;
  enrollSeconds: number;
  parseValidateCommitSeconds: number;
  reimportSeconds: number;
  ratio: number;
  goal: number;
  goalMet: boolean;
}

/** A roster in the shape departments export: semicolons, BOM, CRLF, mixed-case emails. */
export function benchRoster(n: number, year: number, tag = ''): string {
  const lines = [
    'Mentor Name;Mentor Email;Mentor Pronouns;Mentee Name;Mentee Preferred Name;Mentee Email;Mentee Time Zone;Program;Academic Year;Meeting Preferences',
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `Mentor ${tag}${i};Mentor.${tag}${i}@Example.edu;they/them;Mentee ${tag}${i};M${i};mentee.${tag}${i}@example.edu;Europe/Berlin;PhD Biology;${year};"Tuesdays; in person"`,
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

async function rawStarts(client: Client, n: number, label: string, concurrency: number): Promise<number> {
  const taskQueue = `bench-raw-${randomUUID()}`;
  const t0 = performance.now();
  await forEachConcurrently(
    Array.from({ length: n }, (_, i) => i),
    concurrency,
    async (i) => {
      await client.workflow.start('benchNoop', { workflowId: `${label}-${i}`, taskQueue, workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    },
  );
  return (performance.now() - t0) / 1000;
}

export async function runEnrollBench(options: EnrollBenchOptions = {}): Promise<EnrollBenchResult> {
  const pairs = options.pairs ?? 5_000;
  const concurrency = options.concurrency ?? DEFAULT_START_CONCURRENCY;
  const log = options.log ?? console.log;
  const temporal = await throwawayTemporal();
  const database = await throwawayDatabase('enroll');
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  try {
    const db = database.db;
    const policy = parsePolicy(defaultPolicy);
    const year = options.academicYear ?? new Date().getUTCFullYear() + 1;
    const csv = benchRoster(pairs, year);
    log(`enroll: Temporal dev server ${temporal.address} (SQLite), ${pairs} pairs, concurrency ${concurrency}, no worker running`);

    await rawStarts(client, 200, 'warmup', concurrency);
    const rawBefore = await rawStarts(client, pairs, 'raw-before', concurrency);
    log(`enroll: raw ${pairs} no-op starts in ${rawBefore.toFixed(2)} s (${(pairs / rawBefore).toFixed(0)}/s)`);

    const t0 = performance.now();
    let committedSeconds = 0;
    const result = await importRoster({ db, temporal: client, taskQueue: 'tandem-bench', policy }, csv, {
      concurrency,
      onCommitted: () => (committedSeconds = (performance.now() - t0) / 1000),
    });
    const enrollSeconds = (performance.now() - t0) / 1000;
    if (!result.ok || result.summary.cycles?.started !== pairs)
      throw new Error(`enrollment did not start every cycle: ${JSON.stringify(result.ok ? result.summary : result.problems.slice(0, 5))}`);
    log(
      `enroll: ${pairs} pairs in ${enrollSeconds.toFixed(2)} s (${(pairs / enrollSeconds).toFixed(0)} pairs/s); parse, validate and commit took ${committedSeconds.toFixed(2)} s of it`,
    );

    const rawAfter = await rawStarts(client, pairs, 'raw-after', concurrency);
    log(`enroll: raw ${pairs} no-op starts in ${rawAfter.toFixed(2)} s (${(pairs / rawAfter).toFixed(0)}/s)`);

    const t1 = performance.now();
    const again = await importRoster({ db, temporal: client, taskQueue: 'tandem-bench', policy }, csv, { concurrency });
    const reimportSeconds = (performance.now() - t1) / 1000;
    if (!again.ok || again.summary.cycles?.alreadyRunning !== pairs || again.summary.cycles.started !== 0) throw new Error('re-import was not a no-op');
    log(`enroll: re-import (no-op) ${reimportSeconds.toFixed(2)} s`);

    const rawRate = (pairs / rawBefore + pairs / rawAfter) / 2;
    const enrollRate = pairs / enrollSeconds;
    const ratio = enrollRate / rawRate;
    return {
      pairs,
      concurrency,
      rawStartsPerSecond: { before: pairs / rawBefore, after: pairs / rawAfter, mean: rawRate },
      enrollPairsPerSecond: enrollRate,
      enrollSeconds,
      parseValidateCommitSeconds: committedSeconds,
      reimportSeconds,
      ratio,
      goal: ENROLL_GOAL,
      goalMet: ratio >= ENROLL_GOAL,
    };
  } finally {
    await connection.close();
    await database.stop();
    await temporal.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runEnrollBench({
    pairs: Number(process.env.BENCH_PAIRS ?? 5_000),
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? DEFAULT_START_CONCURRENCY),
  });
  console.log(`ratio: ${result.ratio.toFixed(2)} of the raw start rate (goal ≥ ${ENROLL_GOAL}) — ${result.goalMet ? 'met' : 'NOT met'}`);
  const at = new Date().toISOString();
  const dir = path.resolve(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `enroll-${at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        benchmark: 'enroll',
        at,
        machine: { cpus: cpus().length, node: process.version },
        workerRunning: false,
        server: 'temporal server start-dev, SQLite file',
        ...result,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
