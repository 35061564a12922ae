/**
 * Roster to first email: a roster of `pairs` imported with the worker running, as deployed,
 * timed until the SMTP sink has accepted every pair's first messages (the "share your
 * expectations" request to the mentor and the mentee). The raw baseline, on the same server in
 * the same run: as many workflows started at the same concurrency, each running one activity
 * that sends the same two messages through plain pooled nodemailer (bench/support/baseline-*.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parsePolicy } from '../src/domain/policy.ts';
import { importRoster } from '../src/enrollment/import-roster.ts';
import { DEFAULT_START_CONCURRENCY } from '../src/cycles/start-cycles.ts';
import defaultPolicy from '../policy/default.json' with { type: 'json' };
import { benchRoster } from './enroll.ts';
import type { CpuSummary } from './support/cpu-profile.ts';
import { eachSettled } from './support/each.ts';
import { cpuBetween, readCpu } from './support/cpu-seconds.ts';
import { describePath, since, summarize } from './support/probe-readings.ts';
import { probedWorker } from './support/probed-worker.ts';
import { startWorkerStack } from './support/worker-stack.ts';

export const ROSTER_TO_FIRST_EMAIL_GOAL = 0.8;
const TIMEOUT_MS = 60 * 60_000;

export interface RosterToFirstEmailOptions {
  pairs?: number;
  /** Profile the worker's CPU (--cpu-prof) during the run. */
  cpuProfile?: boolean;
  /** Run the worker with the vm-watchdog experiment (bench/support/worker-probe.ts). */
  vmNoTimeout?: boolean;
  log?: (line: string) => void;
}

export async function runRosterToFirstEmailBench(options: RosterToFirstEmailOptions = {}) {
  const pairs = options.pairs ?? 5_000;
  const log = options.log ?? console.log;
  const probed = await probedWorker({ cpuProfile: options.cpuProfile, vmNoTimeout: options.vmNoTimeout });
  const stack = await startWorkerStack('roster', { extraEnv: probed.extraEnv }, { baselineWorker: true });
  const { sink, client } = stack;
  const messages = pairs * 2;
  let result;
  let cpu: CpuSummary[] = [];
  try {
    log(
      `rosterToFirstEmail: ${pairs} pairs, start concurrency ${DEFAULT_START_CONCURRENCY}, worker as deployed${options.cpuProfile ? ' (CPU profiled)' : ''}${options.vmNoTimeout ? ' (experiment: no vm watchdog)' : ''}`,
    );
    const baselineCpu = await readCpu(stack);
    const b0 = performance.now();
    await eachSettled(
      Array.from({ length: pairs }, (_, i) => i),
      DEFAULT_START_CONCURRENCY,
      async (i) => {
        await client.workflow.start('baselineFirstMessages', { args: [i], workflowId: `baseline-first-${i}`, taskQueue: stack.baselineTaskQueue });
      },
    );
    await sink.waitForCount(messages, TIMEOUT_MS);
    const baselineSeconds = (performance.now() - b0) / 1000;
    const baselineCpuSeconds = cpuBetween(baselineCpu, await readCpu(stack));
    log(
      `rosterToFirstEmail: baseline ${pairs} workflows × one plain-nodemailer activity: ${messages} messages in ${baselineSeconds.toFixed(1)} s (${(pairs / baselineSeconds).toFixed(1)} pairs/s)`,
    );
    sink.clear();

    const before = await probed.probe.read();
    const cpuBefore = await readCpu(stack);
    const t0 = performance.now();
    let committedSeconds = 0;
    const imported = await importRoster(
      { db: stack.database.db, temporal: client, taskQueue: stack.taskQueue, policy: parsePolicy(defaultPolicy) },
      benchRoster(pairs, new Date().getUTCFullYear()),
      {
        concurrency: DEFAULT_START_CONCURRENCY,
        onCommitted: () => (committedSeconds = (performance.now() - t0) / 1000),
      },
    );
    if (!imported.ok || imported.summary.cycles?.started !== pairs)
      throw new Error(`enrollment did not start every cycle: ${JSON.stringify(imported.ok ? imported.summary : imported.problems.slice(0, 3))}`);
    const startedSeconds = (performance.now() - t0) / 1000;
    await sink.waitForCount(messages, TIMEOUT_MS);
    const seconds = (performance.now() - t0) / 1000;
    await sleep(1_100); // the probe writes its counts every second
    const after = await probed.probe.read();
    const cpuSeconds = cpuBetween(cpuBefore, await readCpu(stack));
    const first = sink.records.filter((r) => r.kind === 'expectations-requested');
    if (first.length !== messages || new Set(first.map((r) => r.messageId)).size !== messages)
      throw new Error(`sink has ${first.length} first messages (${new Set(first.map((r) => r.messageId)).size} distinct), wanted ${messages}`);
    const ratio = baselineSeconds / seconds;
    log(
      `rosterToFirstEmail: Tandem ${messages} first messages in ${seconds.toFixed(1)} s (${(pairs / seconds).toFixed(1)} pairs/s; roster committed at ${committedSeconds.toFixed(1)} s, every workflow started at ${startedSeconds.toFixed(1)} s) — ratio ${ratio.toFixed(2)} (goal ≥ ${ROSTER_TO_FIRST_EMAIL_GOAL})`,
    );
    const path = summarize(since(before, after), pairs);
    log(`rosterToFirstEmail: per pair ${describePath(path)}`);
    log(`rosterToFirstEmail: CPU seconds, Tandem ${JSON.stringify(cpuSeconds)}; baseline ${JSON.stringify(baselineCpuSeconds)}`);
    result = {
      pairs,
      messages,
      concurrency: DEFAULT_START_CONCURRENCY,
      seconds,
      pairsPerSecond: pairs / seconds,
      committedSeconds,
      startedSeconds,
      baseline: { seconds: baselineSeconds, pairsPerSecond: pairs / baselineSeconds, cpuSeconds: baselineCpuSeconds },
      cpuSeconds,
      ratio,
      goal: ROSTER_TO_FIRST_EMAIL_GOAL,
      goalMet: ratio >= ROSTER_TO_FIRST_EMAIL_GOAL,
      path,
    };
  } finally {
    cpu = await probed.finish(stack);
  }
  return { ...result!, cpu };
}
