/** Starting Tandem processes as children for tests, and waiting for their "ready" line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { TEST_SECRET, type TestStack } from './stack.ts';
import { freePort } from '../../src/dev/free-port.ts';

export interface Child {
  process: ChildProcess;
  ready: Record<string, unknown>;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

const PROCESS_SCRIPT = path.resolve(import.meta.dirname, 'tandem-process.ts');

export async function startTandemProcess(mode: 'worker' | 'web', env: Record<string, string>): Promise<Child> {
  // Several on one machine: each its own operations port and SDK exporter port.
  const ports = { METRICS_PORT: '0', TEMPORAL_SDK_METRICS_PORT: String(await freePort()) };
  const child = spawn(process.execPath, [PROCESS_SCRIPT, mode], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...ports, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`tandem-process ${mode} exited with ${code} before it was ready`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{"ready":true')) resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
  return {
    process: child,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The environment a test's child process runs with: the test's database, Temporal, task queue and mail sink. */
export function childProcessEnv(stack: TestStack, dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    SMTP_URL: stack.mail.smtpUrl,
    TANDEM_SECRET: TEST_SECRET,
    POLICY_FILE: path.join(dir, 'policy.json'),
    TANDEM_DATA_DIR: dir,
    PUBLIC_URL: 'http://tandem.test',
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    ...extra,
  };
}

/** A data dir for the children, holding the stack's policy as their POLICY_FILE. */
export function childProcessDir(stack: TestStack): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-child-'));
  writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(stack.policy));
  return dir;
}
