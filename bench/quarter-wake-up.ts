/**
 * The quarter's wake-up: `pairs` open cycles, enrolled together, whose first check-in window
 * opens at the same instant. Each pair has agreed its expectations first (share, then
 * acknowledge, as Updates), so the window opening sends a proposed slot as a calendar invite
 * to both, with the window's notice. Timed from that instant until the SMTP sink has accepted
 * every invite, with the worker running as deployed.
 *
 * The year runs on the default policy's proportions, compressed so that the first window
 * opens `setupSeconds` after enrollment (enough to enroll and agree every pair); the cycles'
 * histories at the wake-up hold everything a real cohort's do by then, short of reminders.
 *
 * Raw baselines, measured first on the same server: the burst bench's plain nodemailer
 * sending as many messages as the wake-up sent, and as many workflows, each woken by a signal,
 * running one no-op activity. The ratio is against the slower of the two.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { parsePolicy, policyDaysToMs } from '../src/domain/policy.ts';
import { importRoster } from '../src/enrollment/import-roster.ts';
import { DEFAULT_START_CONCURRENCY } from '../src/cycles/start-cycles.ts';
import * as defs from '../src/workflows/definitions.ts';
import defaultPolicy from '../policy/default.json' with { type: 'json' };
import { rawSend } from './burst.ts';
import { benchRoster } from './enroll.ts';
import type { CpuSummary } from './support/cpu-profile.ts';
import { eachSettled } from './support/each.ts';
import { cpuBetween, readCpu } from './support/cpu-seconds.ts';
import { describePath, since, summarize } from './support/probe-readings.ts';
import { probedWorker } from './support/probed-worker.ts';
import { startWorkerStack } from './support/worker-stack.ts';

export const QUARTER_WAKE_UP_GOAL = 0.7;
const TIMEOUT_MS = 60 * 60_000;

export interface QuarterWakeUpOptions {
  pairs?: number;
  /** Seconds from enrollment to the window's opening: enough to enroll and agree every pair (default 60 + 0.8 per pair). */
  setupSeconds?: number;
  cpuProfile?: boolean;
  /** Run the worker with the vm-watchdog experiment (bench/support/worker-probe.ts). */
  vmNoTimeout?: boolean;
  log?: (line: string) => void;
}

export async function runQuarterWakeUpBench(options: QuarterWakeUpOptions = {}) {
  const pairs = options.pairs ?? 5_000;
  const log = options.log ?? console.log;
  const setupSeconds = options.setupSeconds ?? 60 + Math.ceil(pairs * 0.8);
  const firstWindowDay = defaultPolicy.stages.checkIns[0]!.opensAtDay;
  // The default policy's proportions, compressed so the first window opens setupSeconds after enrollment.
  const policyJson = { ...structuredClone(defaultPolicy), timeCompression: (firstWindowDay * 86_400) / setupSeconds };
  const policy = parsePolicy(policyJson);
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-wake-'));
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(policyJson));
  const probed = await probedWorker({ cpuProfile: options.cpuProfile, vmNoTimeout: options.vmNoTimeout });
  const stack = await startWorkerStack('wake', { policyFile, extraEnv: probed.extraEnv }, { baselineWorker: true });
  const { sink, client, database } = stack;
  const db = database.db;
  const range = Array.from({ length: pairs }, (_, i) => i);
  let result;
  let cpu: CpuSummary[] = [];
  try {
    log(
      `quarterWakeUp: ${pairs} pairs; the first check-in window opens ${setupSeconds} s after enrollment (a policy day is ${(policyDaysToMs(policy, 1) / 1000).toFixed(2)} s)`,
    );

    // Baseline: the same number of workflows, woken by a signal, each running a no-op activity.
    await eachSettled(range, DEFAULT_START_CONCURRENCY, async (i) => {
      await client.workflow.start('baselineWakeOnSignal', { workflowId: `baseline-wake-${i}`, taskQueue: stack.baselineTaskQueue });
    });
    await sleep(5_000); // every baseline workflow has run its first task and waits
    const signalCpu = await readCpu(stack);
    const s0 = performance.now();
    await eachSettled(range, DEFAULT_START_CONCURRENCY, async (i) => {
      await client.workflow.getHandle(`baseline-wake-${i}`).signal('wake');
    });
    await eachSettled(range, DEFAULT_START_CONCURRENCY, async (i) => {
      await client.workflow.getHandle(`baseline-wake-${i}`).result();
    });
    const signalSeconds = (performance.now() - s0) / 1000;
    const signalCpuSeconds = cpuBetween(signalCpu, await readCpu(stack));
    log(
      `quarterWakeUp: baseline ${pairs} workflows woken by a signal, each running a no-op activity: ${signalSeconds.toFixed(1)} s (${(pairs / signalSeconds).toFixed(1)} pairs/s)`,
    );

    // Enroll the cohort and agree every pair's expectations before the window opens.
    const e0 = performance.now();
    const imported = await importRoster({ db, temporal: client, taskQueue: stack.taskQueue, policy }, benchRoster(pairs, new Date().getUTCFullYear()));
    if (!imported.ok || imported.summary.cycles?.started !== pairs)
      throw new Error(`enrollment did not start every cycle: ${JSON.stringify(imported.ok ? imported.summary : imported.problems.slice(0, 3))}`);
    const cycles = await db
      .selectFrom('cycles')
      .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
      .select(['cycles.workflow_id', 'cycles.enrolled_at', 'pairs.mentor_id', 'pairs.mentee_id'])
      .execute();
    const opensAt = Math.min(...cycles.map((c) => c.enrolled_at.getTime())) + policyDaysToMs(policy, firstWindowDay);
    const lastOpensAt = Math.max(...cycles.map((c) => c.enrolled_at.getTime())) + policyDaysToMs(policy, firstWindowDay);
    /** Share, then acknowledge; a call lost to the loaded machine (a timeout) is tried again, a rejected one means it was done. */
    const agree = async (c: (typeof cycles)[number]) => {
      const handle = client.workflow.getHandle(c.workflow_id);
      const attempt = async (run: () => Promise<unknown>) => {
        for (let tries = 1; ; tries++) {
          try {
            return await run();
          } catch (error) {
            if (error instanceof WorkflowUpdateFailedError) return; // already done by an earlier try
            if (tries >= 10) throw error;
            await sleep(1_000 * tries);
          }
        }
      };
      await attempt(() =>
        handle.executeUpdate(defs.shareExpectationsUpdate, {
          args: [
            {
              actor: { role: 'mentor', personId: c.mentor_id },
              expectationsId: `bench-${c.workflow_id}`,
              meetingCadenceDays: 14,
              meetingLocalTime: '10:00',
              meetingFormat: 'video',
            },
          ],
        }),
      );
      await attempt(() => handle.executeUpdate(defs.acknowledgeExpectationsUpdate, { args: [{ actor: { role: 'mentee', personId: c.mentee_id } }] }));
    };
    await eachSettled(cycles, DEFAULT_START_CONCURRENCY, agree);
    // Every pair's setup mail (request, shared, acknowledged) out before the window opens.
    await sink.waitForCount(pairs * 4, Math.max(1, opensAt - Date.now()));
    const setupUsed = (performance.now() - e0) / 1000;
    if (Date.now() >= opensAt) throw new Error(`setup took ${setupUsed.toFixed(0)} s, past the window's opening; run with a longer setup`);
    const sample = cycles.filter((_, i) => i % Math.max(1, Math.floor(pairs / 20)) === 0).slice(0, 20);
    const events = await Promise.all(sample.map(async (c) => (await client.workflow.getHandle(c.workflow_id).fetchHistory()).events?.length ?? 0));
    log(
      `quarterWakeUp: cohort enrolled and agreed in ${setupUsed.toFixed(0)} s; histories hold ${Math.min(...events)}–${Math.max(...events)} events; window opens in ${((opensAt - Date.now()) / 1000).toFixed(0)} s (spread over ${lastOpensAt - opensAt} ms)`,
    );

    await sleep(Math.max(0, opensAt - Date.now() - 1_000));
    const before = await probed.probe.read();
    const cpuBefore = await readCpu(stack);
    const fromRecord = sink.records.length;
    const invitesOut = async () => {
      for (;;) {
        const invites = sink.records.slice(fromRecord).filter((r) => r.kind === 'check-in-invite');
        if (invites.length >= pairs * 2) return invites;
        if (Date.now() - opensAt > TIMEOUT_MS) throw new Error(`${invites.length} of ${pairs * 2} invites within ${TIMEOUT_MS} ms`);
        await sleep(200);
      }
    };
    const invites = await invitesOut();
    const wakeSeconds = (Math.max(...invites.map((r) => r.at)) - opensAt) / 1000;
    const windowMessages = sink.records.slice(fromRecord).filter((r) => r.at <= opensAt + wakeSeconds * 1000);
    // The per-pair path figures cover the whole wake-up: wait for the window notices too.
    await sink.waitForCount(fromRecord + pairs * 4, TIMEOUT_MS);
    await sleep(1_100); // the probe writes its counts every second
    const after = await probed.probe.read();
    const cpuSeconds = cpuBetween(cpuBefore, await readCpu(stack));
    if (new Set(invites.map((r) => r.messageId)).size !== pairs * 2) throw new Error('an invite was sent twice');
    const kinds: Record<string, number> = {};
    for (const r of windowMessages) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
    const path = summarize(since(before, after), pairs);
    log(
      `quarterWakeUp: every invite accepted ${wakeSeconds.toFixed(1)} s after the window opened (${(pairs / wakeSeconds).toFixed(1)} pairs/s; ${windowMessages.length} messages meanwhile: ${JSON.stringify(kinds)})`,
    );
    log(`quarterWakeUp: per pair ${describePath(path)}`);
    log(`quarterWakeUp: CPU seconds over the whole wake-up ${JSON.stringify(cpuSeconds)}; signal baseline ${JSON.stringify(signalCpuSeconds)}`);

    // Baseline: plain nodemailer sending as many messages as the wake-up did.
    sink.clear();
    const mailSeconds = await rawSend(sink.smtpUrl, windowMessages.length);
    log(
      `quarterWakeUp: baseline plain nodemailer, ${windowMessages.length} messages: ${mailSeconds.toFixed(1)} s (${(pairs / mailSeconds).toFixed(1)} pairs' worth/s)`,
    );
    const slower = Math.max(mailSeconds, signalSeconds);
    const ratio = slower / wakeSeconds;
    log(
      `quarterWakeUp: ratio ${ratio.toFixed(2)} of the slower baseline (${slower === mailSeconds ? 'nodemailer' : 'signal + no-op'}; goal ≥ ${QUARTER_WAKE_UP_GOAL})`,
    );
    result = {
      pairs,
      setupSeconds,
      setupUsedSeconds: setupUsed,
      historyEventsAtWakeUp: { min: Math.min(...events), max: Math.max(...events) },
      wakeSeconds,
      pairsPerSecond: pairs / wakeSeconds,
      messages: windowMessages.length,
      messagesByKind: kinds,
      baselines: { nodemailerSeconds: mailSeconds, signalNoopSeconds: signalSeconds, signalNoopCpuSeconds: signalCpuSeconds },
      cpuSeconds,
      ratio,
      goal: QUARTER_WAKE_UP_GOAL,
      goalMet: ratio >= QUARTER_WAKE_UP_GOAL,
      path,
    };
  } finally {
    cpu = await probed.finish(stack);
    rmSync(dir, { recursive: true, force: true });
  }
  return { ...result!, cpu };
}
