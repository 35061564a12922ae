/**
 * An SMTP sink for benchmarks and drills: accepts everything and records, per message, its
 * Message-ID, recipients and Tandem kind, read from the raw headers (no MIME parsing, so the
 * sink is never the bottleneck it measures). With a file, each record is appended before the
 * 250 reply, so a message the relay accepted is on disk even if this process is killed next.
 */
import { appendFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkRecord {
  messageId: string;
  to: string[];
  kind: string;
  bytes: number;
  at: number;
}

function header(raw: string, name: string): string {
  const end = raw.indexOf('\r\n\r\n');
  const head = (end === -1 ? raw : raw.slice(0, end)).replace(/\r\n[ \t]+/g, ' ');
  const match = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head);
  return match ? match[1]!.trim() : '';
}

export class RecordingSink {
  readonly records: SinkRecord[] = [];
  private readonly server: SMTPServer;
  private readonly waiters = new Set<() => void>();
  private readonly file: string | undefined;

  constructor(file?: string) {
    this.file = file;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 25 * 1024 * 1024,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          // Headers are ASCII and come first: 8 KiB holds them all.
          const whole = Buffer.concat(chunks);
          const raw = whole.subarray(0, 8192).toString('latin1');
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const record = { messageId: header(raw, 'Message-ID'), to, kind: header(raw, 'X-Tandem-Kind'), bytes: whole.length, at: Date.now() };
          if (this.file) appendFileSync(this.file, JSON.stringify(record) + '\n');
          this.records.push(record);
          for (const wake of this.waiters) wake();
          callback();
        });
      },
    });
    // A client that dies mid-session (a killed worker) resets its connection; that is not ours to crash on.
    this.server.on('error', () => {});
  }

  async listen(port = 0): Promise<number> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server.server, 'listening');
    return this.port;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  clear(): void {
    this.records.length = 0;
  }

  /** Resolves once `count` messages have arrived (since the last clear), or fails after `timeoutMs`. */
  waitForCount(count: number, timeoutMs: number): Promise<void> {
    if (this.records.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`SMTP sink: ${this.records.length} of ${count} messages within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (this.records.length < count) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
