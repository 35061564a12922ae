/**
 * Events in one full year's history: one pair enrolled on the compressed policy (a week a
 * second) with nobody acting, so every step runs its whole reminder and escalation ladder —
 * the longest history a year can have short of people rescheduling — counted from the first
 * run until it continues as new into the next year.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parsePolicy } from '../src/domain/policy.ts';
import { importRoster } from '../src/enrollment/import-roster.ts';
import compressedPolicy from '../policy/compressed.json' with { type: 'json' };
import { benchRoster } from './enroll.ts';
import { startWorkerStack } from './support/worker-stack.ts';

export const YEAR_EVENTS_GOAL = 1_000;

export interface YearHistoryResult {
  events: number;
  messages: number;
  seconds: number;
  goal: number;
  goalMet: boolean;
}

export async function runYearHistoryBench(options: { log?: (line: string) => void } = {}): Promise<YearHistoryResult> {
  const log = options.log ?? console.log;
  const { database, sink, client, taskQueue, stop } = await startWorkerStack('history', {
    policyFile: path.resolve(import.meta.dirname, '../policy/compressed.json'),
  });
  try {
    const t0 = performance.now();
    const result = await importRoster(
      { db: database.db, temporal: client, taskQueue, policy: parsePolicy(compressedPolicy) },
      benchRoster(1, new Date().getUTCFullYear()),
    );
    if (!result.ok || result.summary.cycles?.started !== 1) throw new Error('could not enroll the pair');
    const cycle = await database.db.selectFrom('cycles').select('workflow_id').executeTakeFirstOrThrow();
    const first = await client.workflow.getHandle(cycle.workflow_id).describe();
    log(`history: one pair on the compressed policy (a week a second), nobody acting; waiting for the year to end`);
    const handle = client.workflow.getHandle(cycle.workflow_id, first.runId);
    const deadline = Date.now() + 10 * 60_000;
    while ((await handle.describe()).status.name === 'RUNNING') {
      if (Date.now() > deadline) throw new Error('the compressed year did not end within 10 minutes');
      await sleep(2_000);
    }
    const status = (await handle.describe()).status.name;
    if (status !== 'CONTINUED_AS_NEW') throw new Error(`the year ended ${status}, not by continuing as new`);
    const history = await handle.fetchHistory();
    const events = history.events?.length ?? 0;
    const seconds = (performance.now() - t0) / 1000;
    log(`history: ${events} events in the year (${sink.records.length} messages, ${seconds.toFixed(0)} s)`);
    return { events, messages: sink.records.length, seconds, goal: YEAR_EVENTS_GOAL, goalMet: events < YEAR_EVENTS_GOAL };
  } finally {
    await stop();
  }
}
