/**
 * The Tandem worker as a child process (`tandem worker`, exactly as production runs it), for
 * measuring its memory and for killing it in drills. Ready once it logs "worker started".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/dev/free-port.ts';
import { DEFAULT_WORKFLOW_CACHE_SIZE, workerHeapMbFor, workerProcessEnv } from '../../src/worker/process-settings.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export interface WorkerEnv {
  databaseUrl: string;
  temporalAddress: string;
  /** Defaults to `default`. */
  namespace?: string;
  taskQueue: string;
  smtpUrl: string;
  /** Directory for the worker's generated files (its secret). */
  dataDir: string;
  policyFile?: string;
  /** Messages per second to the relay; the benchmarks and drills set it high so the limiter is not what they measure. */
  smtpRatePerSecond?: number;
  smtpMaxConnections?: number;
  /** V8 heap limit for the worker and its workflow thread (default as deployed for its cache, src/worker/process-settings.ts); 0 for Node's default. */
  heapMb?: number;
  /** TANDEM_WORKFLOW_CACHE_SIZE of the worker; defaults to the bench's own environment (`--worker-cache`), then the deployed default. */
  workflowCacheSize?: number;
  /** More environment for the child (NODE_OPTIONS for a probe, say), or a function making it just before the start. */
  extraEnv?: Record<string, string> | (() => Promise<Record<string, string>>);
  /** The script and arguments to run instead of `tandem worker` (a baseline's worker). */
  entry?: string[];
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resident set size now, from /proc (Linux). */
  rssBytes(): number;
  /** Exit code or signal once it has exited. */
  exited: Promise<string>;
  /** The last few kilobytes it wrote (logs and errors). */
  output(): string;
  stop(): Promise<void>;
}

/** The workers' cache in this bench run: `--worker-cache` (which sets TANDEM_WORKFLOW_CACHE_SIZE), else the deployed default. */
export function benchWorkflowCacheSize(): number {
  return Number(process.env.TANDEM_WORKFLOW_CACHE_SIZE ?? DEFAULT_WORKFLOW_CACHE_SIZE);
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb[1]) * 1024;
}

export async function startWorkerProcess(options: WorkerEnv, readyTimeoutMs = 120_000): Promise<WorkerProcess> {
  const extraEnv = typeof options.extraEnv === 'function' ? await options.extraEnv() : options.extraEnv;
  const cacheSize = options.workflowCacheSize ?? benchWorkflowCacheSize();
  const child = spawn(process.execPath, options.entry ?? [path.join(PROJECT_ROOT, 'src/cli/main.ts'), 'worker'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_NAMESPACE: options.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      SMTP_URL: options.smtpUrl,
      SMTP_RATE_PER_SECOND: String(options.smtpRatePerSecond ?? 1000),
      SMTP_MAX_CONNECTIONS: String(options.smtpMaxConnections ?? 3),
      POLICY_FILE: options.policyFile ?? path.join(PROJECT_ROOT, 'policy/default.json'),
      TANDEM_DATA_DIR: options.dataDir,
      PUBLIC_URL: 'http://tandem.bench',
      LOG_LEVEL: 'info',
      // Several workers on one machine: each its own operations port and SDK exporter port.
      METRICS_PORT: '0',
      TEMPORAL_SDK_METRICS_PORT: String(await freePort()),
      // Launched as deployed: the same V8 flags and malloc settings as docker-compose.yml.
      TANDEM_WORKFLOW_CACHE_SIZE: String(cacheSize),
      ...workerProcessEnv(options.heapMb ?? workerHeapMbFor(cacheSize)),
      ...extraEnv,
    },
  });
  let tail = '';
  let announce: (() => void) | undefined;
  const started = new Promise<void>((resolve) => (announce = resolve));
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8_000);
    if (announce && tail.includes('"worker started"')) announce();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const outcome = await Promise.race([
    started.then(() => 'ready' as const),
    exited.then((how) => `exited (${how})`),
    new Promise<string>((r) => setTimeout(() => r(`not ready within ${readyTimeoutMs} ms`), readyTimeoutMs).unref()),
  ]);
  if (outcome !== 'ready') {
    child.kill('SIGKILL');
    throw new Error(`worker ${outcome}:\n${tail.trim()}`);
  }
  return {
    child,
    rssBytes: () => rssOf(child.pid!),
    exited,
    output: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000))]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
