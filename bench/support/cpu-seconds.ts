/**
 * CPU seconds each part of a benchmark stack has used (Linux /proc: user + system, all
 * threads), so a scenario can say which process its time went to: the Tandem worker, the
 * Temporal dev server, the Postgres backends serving the scenario's database, and the bench
 * process itself (client, SMTP sink). Backends that exit in between (an idle pool connection
 * closed) take their seconds with them, so Postgres's figure is a lower bound.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { WorkerStack } from './worker-stack.ts';

const TICKS_PER_SECOND = 100;

function processCpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
  } catch {
    return 0; // exited
  }
}

export type CpuReading = Record<'worker' | 'baselineWorker' | 'temporal' | 'postgres' | 'bench', number>;

export async function readCpu(stack: WorkerStack): Promise<CpuReading> {
  const backends = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(stack.database.db);
  const own = process.cpuUsage();
  return {
    worker: processCpuSeconds(stack.worker.child.pid),
    baselineWorker: processCpuSeconds(stack.baselineWorker?.child.pid),
    temporal: processCpuSeconds(stack.temporalPid),
    postgres: backends.rows.reduce((sum, r) => sum + processCpuSeconds(r.pid), 0),
    bench: (own.user + own.system) / 1e6,
  };
}

export function cpuBetween(before: CpuReading, after: CpuReading): CpuReading {
  const d = (k: keyof CpuReading) => Math.round((after[k] - before[k]) * 100) / 100;
  return { worker: d('worker'), baselineWorker: d('baselineWorker'), temporal: d('temporal'), postgres: d('postgres'), bench: d('bench') };
}
