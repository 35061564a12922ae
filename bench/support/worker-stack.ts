/**
 * The stack a worker benchmark needs, started and stopped as one: a throwaway Temporal dev
 * server and database, a recording SMTP sink, a Temporal client, and a `tandem worker` child
 * process wired to all of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { RecordingSink } from './recording-sink.ts';
import { throwawayDatabase, throwawayTemporal, type ThrowawayDatabase } from './throwaway.ts';
import { startWorkerProcess, type WorkerEnv, type WorkerProcess } from './worker-process.ts';

export interface WorkerStack {
  database: ThrowawayDatabase;
  sink: RecordingSink;
  client: Client;
  taskQueue: string;
  worker: WorkerProcess;
  /** Task queue of the raw baselines' worker (bench/support/baseline-worker.ts), when asked for. */
  baselineTaskQueue: string;
  baselineWorker: WorkerProcess | null;
  temporalAddress: string;
  temporalPid: number | undefined;
  stop(): Promise<void>;
}

export async function startWorkerStack(
  name: string,
  workerOptions: Omit<WorkerEnv, 'databaseUrl' | 'temporalAddress' | 'taskQueue' | 'smtpUrl' | 'dataDir'> = {},
  stackOptions: { baselineWorker?: boolean } = {},
): Promise<WorkerStack> {
  const temporal = await throwawayTemporal();
  const database = await throwawayDatabase(name);
  const sink = new RecordingSink();
  await sink.listen();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-worker-'));
  const connection = await Connection.connect({ address: temporal.address });
  const taskQueue = `tandem-bench-${name}`;
  const worker = await startWorkerProcess({
    ...workerOptions,
    databaseUrl: database.url,
    temporalAddress: temporal.address,
    taskQueue,
    smtpUrl: sink.smtpUrl,
    dataDir,
  });
  const baselineTaskQueue = `${taskQueue}-baseline`;
  const baselineWorker = stackOptions.baselineWorker
    ? await startWorkerProcess({
        databaseUrl: database.url,
        temporalAddress: temporal.address,
        taskQueue: baselineTaskQueue,
        smtpUrl: sink.smtpUrl,
        dataDir,
        entry: [path.join(import.meta.dirname, 'baseline-worker.ts')],
      })
    : null;
  return {
    baselineTaskQueue,
    baselineWorker,
    temporalAddress: temporal.address,
    temporalPid: temporal.server.child.pid,
    database,
    sink,
    client: new Client({ connection }),
    taskQueue,
    worker,
    async stop() {
      await baselineWorker?.stop();
      await worker.stop();
      await connection.close();
      await sink.close();
      await database.stop();
      await temporal.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
