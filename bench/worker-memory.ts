/**
 * Worker memory: the resident set of a `tandem worker` process holding `cycles` open cycles,
 * against the same worker idle before any cycle exists.
 *
 * The cycles run on the default, year-long policy, enrolled for the current academic year, so
 * each sends its two "share your expectations" messages and then waits on its timers for
 * weeks. RSS is sampled once they are all running and the worker has gone quiet (every message
 * sent, no new timeline rows for a while): the steady state of a department mid-year.
 *
 * With `nextYear`, the roster is for the next academic year: every cycle starts, records its
 * start and waits for September, so no mail goes out. That is how the 50,000-cycle run holds
 * its cycles open in minutes rather than the hour 100,000 messages would take; it also times
 * the enrollment and the importing process's peak memory.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parsePolicy } from '../src/domain/policy.ts';
import { importRoster } from '../src/enrollment/import-roster.ts';
import defaultPolicy from '../policy/default.json' with { type: 'json' };
import { benchRoster } from './enroll.ts';
import { workerHeapMbFor } from '../src/worker/process-settings.ts';
import { benchWorkflowCacheSize, type WorkerProcess } from './support/worker-process.ts';
import { startWorkerStack } from './support/worker-stack.ts';

export const WORKER_RSS_GOAL_MB = 400;
const MB = 1024 * 1024;

export interface WorkerMemoryOptions {
  cycles?: number;
  /** Runs once the cycles are quiet, before the worker stops (a diagnostic hook). */
  inspect?: (worker: WorkerProcess) => Promise<void>;
  workerEnv?: Record<string, string>;
  /** --max-old-space-size for the worker (default as deployed for its cache, workerHeapMbFor); 0 for Node's default. */
  heapMb?: number;
  /** Enroll for the next academic year: cycles open and waiting, no mail (see above). */
  nextYear?: boolean;
  log?: (line: string) => void;
}

export interface WorkerMemoryResult {
  cycles: number;
  /** The worker's --max-old-space-size, or null for Node's default. */
  heapMb: number | null;
  idleRssMb: number;
  loadedRssMb: number;
  /** Loaded over idle. */
  ratio: number;
  secondsToQuiet: number;
  /** The roster import (parse, validate, commit, every workflow start), and the importing process's RSS peak over its RSS before. */
  enrollSeconds: number;
  importerPeakRssMb: number;
  importerRssGrowthMb: number;
  goalMb: number;
  goalMet: boolean;
}

async function sampleRss(read: () => number, samples = 5, everyMs = 1_000): Promise<number> {
  let max = 0;
  for (let i = 0; i < samples; i++) {
    max = Math.max(max, read());
    await sleep(everyMs);
  }
  return max;
}

export async function runWorkerMemoryBench(options: WorkerMemoryOptions = {}): Promise<WorkerMemoryResult> {
  const cycles = options.cycles ?? 5_000;
  const log = options.log ?? console.log;
  const { database, sink, client, taskQueue, worker, stop } = await startWorkerStack('memory', { extraEnv: options.workerEnv, heapMb: options.heapMb });
  try {
    await sleep(5_000);
    const idle = await sampleRss(worker.rssBytes);
    log(`memory: idle worker ${(idle / MB).toFixed(0)} MB; enrolling ${cycles} cycles on the default (year-long) policy`);

    const t0 = performance.now();
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);
    const result = await importRoster(
      { db: database.db, temporal: client, taskQueue, policy: parsePolicy(defaultPolicy) },
      benchRoster(cycles, new Date().getUTCFullYear() + (options.nextYear ? 1 : 0)),
    ).finally(() => clearInterval(sampler));
    const enrollSeconds = (performance.now() - t0) / 1000;
    if (!result.ok || result.summary.cycles?.started !== cycles)
      throw new Error(`enrollment did not start every cycle: ${JSON.stringify(result.ok ? result.summary : result.problems.slice(0, 3))}`);
    log(
      `memory: roster of ${cycles} enrolled in ${enrollSeconds.toFixed(0)} s; the importing process peaked at ${(rssPeak / MB).toFixed(0)} MB RSS (+${((rssPeak - rssBefore) / MB).toFixed(0)} MB)`,
    );
    if (!options.nextYear) await sink.waitForCount(cycles * 2, 30 * 60_000);
    // Quiet: nothing left to send and the timeline has stopped growing.
    let last = -1;
    for (;;) {
      const { events } = await database.db
        .selectFrom('cycle_events')
        .select((eb) => eb.fn.countAll<string>().as('events'))
        .executeTakeFirstOrThrow();
      const { unsent } = await database.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('unsent'))
        .where('status', '!=', 'sent')
        .executeTakeFirstOrThrow();
      if (Number(events) === last && Number(unsent) === 0) break;
      last = Number(events);
      await sleep(3_000);
    }
    const secondsToQuiet = (performance.now() - t0) / 1000;
    const running = await client.workflow.count(`TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`);
    if (running.count !== cycles) throw new Error(`${running.count} of ${cycles} cycles running`);
    const loaded = await sampleRss(worker.rssBytes, 10);
    await options.inspect?.(worker);
    log(`memory: ${cycles} open cycles, worker ${(loaded / MB).toFixed(0)} MB (quiet after ${secondsToQuiet.toFixed(0)} s)`);
    return {
      cycles,
      heapMb: options.heapMb === 0 ? null : (options.heapMb ?? workerHeapMbFor(benchWorkflowCacheSize())),
      idleRssMb: idle / MB,
      loadedRssMb: loaded / MB,
      ratio: loaded / idle,
      secondsToQuiet,
      enrollSeconds,
      importerPeakRssMb: rssPeak / MB,
      importerRssGrowthMb: (rssPeak - rssBefore) / MB,
      goalMb: WORKER_RSS_GOAL_MB,
      goalMet: loaded / MB < WORKER_RSS_GOAL_MB,
    };
  } finally {
    await stop();
  }
}
