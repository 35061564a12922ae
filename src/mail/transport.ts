/** The SMTP transport: pooled, rate-limited, from SMTP_URL. */
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailTransportOptions {
  /** Messages per second handed to the relay across the pool; undefined means as fast as it takes them. */
  ratePerSecond?: number;
  maxConnections?: number;
}

export function createMailTransport(smtpUrl: string, options: MailTransportOptions = {}): Transporter {
  const url = new URL(smtpUrl);
  return nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A local catcher speaks plain SMTP; a real relay on 587 upgrades with STARTTLS.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    pool: true,
    maxConnections: options.maxConnections ?? 3,
    ...(options.ratePerSecond ? { rateDelta: 1000, rateLimit: options.ratePerSecond } : {}),
    // Fail a stuck relay well inside the outbox lease (outbox.ts), so a hung send is retried, not doubled.
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 45_000,
  });
}
