/**
 * Runs `temporal server start-dev` as a child process for `npm start`: SQLite file with
 * WAL journaling so state survives restarts, the web UI on, Tandem's search attributes
 * registered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeArgs } from '../temporal/search-attributes.ts';

export interface DevServer {
  child: ChildProcess;
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export async function isTemporalReachable(address: string, timeoutMs = 1_500): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

export async function startTemporalDevServer(options: {
  cli: string;
  dataDir: string;
  address: string;
  uiPort: number;
  namespace: string;
}): Promise<DevServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const [ip, port] = [options.address.slice(0, options.address.lastIndexOf(':')), options.address.slice(options.address.lastIndexOf(':') + 1)];
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    port,
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    options.namespace,
    '--db-filename',
    path.join(options.dataDir, 'temporal.sqlite'),
    '--sqlite-pragma',
    'journal_mode=wal',
    '--log-level',
    'warn',
    ...devServerSearchAttributeArgs(),
  ];
  const child = spawn(options.cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (!(await isTemporalReachable(options.address))) {
    const code = await Promise.race([exited, new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 500))]);
    if (code !== 'waiting') throw new Error(`temporal server start-dev exited (${code}):\n${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`temporal server start-dev did not answer on ${options.address} within 60 s:\n${stderr.trim()}`);
    }
  }
  return {
    child,
    address: options.address,
    uiUrl: `http://${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${options.uiPort}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
