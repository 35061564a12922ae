/** The SMTP transport: pooled, rate-limited, from SMTP_URL. */
import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database } from '../../db/schema.ts';
import { createRelayRateLimiter, pacedBy } from './relay-rate.ts';

export interface MailTransportOptions {
  /** Messages per second handed to the relay across the pool; undefined means as fast as it takes them. */
  ratePerSecond?: number;
  maxConnections?: number;
  /** Pace ratePerSecond across every process through this database (src/mail/relay-rate.ts), not per process. */
  shared?: { db: Kysely<Database> };
}

export function createMailTransport(smtpUrl: string, options: MailTransportOptions = {}): Transporter {
  const url = new URL(smtpUrl);
  const sharedRate = options.ratePerSecond && options.shared ? options.ratePerSecond : undefined;
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A local catcher speaks plain SMTP; a real relay on 587 upgrades with STARTTLS.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    pool: true,
    maxConnections: options.maxConnections ?? 3,
    ...(options.ratePerSecond && !sharedRate ? { rateDelta: 1000, rateLimit: options.ratePerSecond } : {}),
    // Fail a stuck relay, so the attempt ends and its retry sends; the outbox lease (outbox.ts) is renewed meanwhile, so it is not doubled.
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 45_000,
  });
  return sharedRate ? pacedBy(transport, createRelayRateLimiter(options.shared!.db, url.host, sharedRate)) : transport;
}
