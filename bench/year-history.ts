/**
 * Events in one full year's history: one pair enrolled on the compressed policy (a week a
 * second) with nobody acting, so every step runs its whole reminder and escalation ladder —
 * the longest history a year can have short of people rescheduling — counted from the first
 * run until it continues as new into the next year.
 */
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { parsePolicy } from '../src/domain/policy.ts';
import { importRoster } from '../src/enrollment/import-roster.ts';
import compressedPolicy from '../policy/compressed.json' with { type: 'json' };
import { benchRoster } from './enroll.ts';
import { RecordingSink } from './support/recording-sink.ts';
import { throwawayDatabase, throwawayTemporal } from './support/throwaway.ts';
import { startWorkerProcess } from './support/worker-process.ts';

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
  const temporal = await throwawayTemporal();
  const database = await throwawayDatabase('history');
  const sink = new RecordingSink();
  await sink.listen();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-worker-'));
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const taskQueue = 'tandem-bench-history';
  const policyFile = path.resolve(import.meta.dirname, '../policy/compressed.json');
  const worker = await startWorkerProcess({ databaseUrl: database.url, temporalAddress: temporal.address, taskQueue, smtpUrl: sink.smtpUrl, dataDir, policyFile });
  try {
    const t0 = performance.now();
    const result = await importRoster({ db: database.db, temporal: client, taskQueue, policy: parsePolicy(compressedPolicy) }, benchRoster(1, new Date().getUTCFullYear()));
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
    await worker.stop();
    await connection.close();
    await sink.close();
    await database.stop();
    await temporal.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
