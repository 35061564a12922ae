/**
 * The relay's message rate across every process that sends (each worker, and each web
 * process: sign-in links, help-request mail). The relay agreed to SMTP_RATE_PER_SECOND for
 * the department, not per process, so the pacing lives in one Postgres row per relay.
 *
 * Each send takes the next free slot in one statement (a generic cell-rate algorithm): the
 * row holds when the next slot is; taking one moves it on by 1/rate. The sender then waits
 * until its slot. Slots are handed out in order across all processes, so N processes together
 * send at the rate, never N times it. A process that dies holding a slot only wastes it.
 *
 * Why not a task queue with maxTaskQueueActivitiesPerSecond: it limits activity *starts*, not
 * messages (an activity sends 0 to 6 of them), and it cannot pace the web process's mail.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../db/schema.ts';
import { takeRelaySendSlot } from '../stores/outbox-store.ts';

export interface RelayRateLimiter {
  /** Resolves when this process may hand one message to the relay. */
  acquire(): Promise<void>;
}

export function createRelayRateLimiter(db: Kysely<Database>, relay: string, ratePerSecond: number): RelayRateLimiter {
  const spacing = 1 / ratePerSecond;
  return {
    async acquire() {
      const wait = await takeRelaySendSlot(db, relay, spacing);
      if (wait > 0) await sleep(wait);
    },
  };
}

/** The transport, with every sendMail waiting for its shared slot first. */
export function pacedBy(transport: Transporter, limiter: RelayRateLimiter): Transporter {
  const send = transport.sendMail.bind(transport) as (mail: Parameters<Transporter['sendMail']>[0]) => Promise<unknown>;
  transport.sendMail = (async (mail: Parameters<Transporter['sendMail']>[0]) => {
    await limiter.acquire();
    return send(mail);
  }) as Transporter['sendMail'];
  return transport;
}
