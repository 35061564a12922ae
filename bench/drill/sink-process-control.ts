/** Starting, killing and reading the recording SMTP sink that runs as its own process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SinkRecord } from '../support/recording-sink.ts';

const SINK = path.resolve(import.meta.dirname, '../support/sink-process.ts');

export class SinkProcess {
  private child: ChildProcess | undefined;
  private killing = false;
  readonly port: number;
  readonly file: string;
  /** Times it died without being killed (restarted each time): a drill failure. */
  unexpectedExits = 0;

  constructor(port: number, file: string) {
    this.port = port;
    this.file = file;
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [SINK, String(this.port), this.file], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
      child.once('exit', (code) => reject(new Error(`SMTP sink exited (${code}) before listening`)));
    });
    child.once('exit', () => {
      if (this.killing || this.child !== child) return;
      this.unexpectedExits++;
      void this.start();
    });
  }

  /** Down hard: the process dies with its open connections. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    this.killing = true;
    child.kill('SIGKILL');
    await exited;
    this.killing = false;
  }

  records(): SinkRecord[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as SinkRecord);
  }
}
