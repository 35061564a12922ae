/**
 * A real SMTP server that keeps what it receives: the dev inbox behind `npm start` and the
 * sink the tests send through. Messages are parsed with mailparser, exactly as received.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMessage {
  id: number;
  receivedAt: Date;
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface MailCatcherOptions {
  port?: number;
  host?: string;
  /** Keep at most this many messages (oldest dropped); the dev inbox is not an archive. */
  limit?: number;
}

export class MailCatcher {
  readonly messages: CaughtMessage[] = [];
  private readonly server: SMTPServer;
  private readonly waiters = new Set<() => void>();
  private nextId = 1;
  private readonly limit: number;
  private readonly options: MailCatcherOptions;
  /** While set, every transaction is refused with this SMTP reply (to drill outages). */
  rejectWith: { code: number; message: string } | null = null;
  /** Recipients refused at RCPT TO, by lower-cased address (to drill bounces and deferrals). */
  readonly rejectRecipients = new Map<string, { code: number; message: string }>();

  constructor(options: MailCatcherOptions = {}) {
    this.limit = options.limit ?? Number.POSITIVE_INFINITY;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 25 * 1024 * 1024,
      onMailFrom: (_address, _session, callback) => {
        if (this.rejectWith) {
          const error = Object.assign(new Error(this.rejectWith.message), { responseCode: this.rejectWith.code });
          return callback(error);
        }
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        const refusal = this.rejectRecipients.get(address.address.toLowerCase());
        if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              this.messages.push({
                id: this.nextId++,
                receivedAt: new Date(),
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                raw,
                parsed,
              });
              if (this.messages.length > this.limit) this.messages.shift();
              for (const wake of this.waiters) wake();
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    // A client that dies mid-session (a worker killed while sending) resets its connection, and
    // smtp-server reports that as an 'error' event: unhandled, it would take the inbox down.
    this.server.on('error', () => {});
    this.options = options;
  }

  async listen(): Promise<number> {
    this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1');
    await once(this.server.server, 'listening');
    return this.port;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  /** Waits until `predicate` holds over the messages received so far, or fails after `timeoutMs`. */
  async waitFor(predicate: (messages: CaughtMessage[]) => boolean, timeoutMs = 15_000): Promise<CaughtMessage[]> {
    if (predicate(this.messages)) return this.messages;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`mail catcher: condition not met within ${timeoutMs} ms (${this.messages.length} messages received)`));
      }, timeoutMs);
      const check = () => {
        if (!predicate(this.messages)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(this.messages);
      };
      this.waiters.add(check);
    });
  }

  to(address: string): CaughtMessage[] {
    const wanted = address.toLowerCase();
    return this.messages.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === wanted));
  }

  clear(): void {
    this.messages.length = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
