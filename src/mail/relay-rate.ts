/**
 * The relay's message rate across every process that sends (each worker, and each web
 * process: sign-in links, help-request mail). The relay agreed to SMTP_RATE_PER_SECOND for
 * the department, not per process, so the pacing lives in one Postgres row per relay.
 *
 * Each send takes the next free slot (a generic cell-rate algorithm): the row holds when the
 * next slot is; taking one moves it on by 1/rate. The sender then waits until its slot. Slots
 * are handed out in order across all processes, so N processes together send at the rate, never
 * N times it. A process that dies holding a slot only wastes it. Sends of one process that ask
 * while its previous take is in flight share the next statement: it takes as many consecutive
 * slots as they are (a wake-up sends hundreds at once; one round trip each was a fifth of the
 * worker's Postgres queries).
 *
 * Why not a task queue with maxTaskQueueActivitiesPerSecond: it limits activity *starts*, not
 * messages (an activity sends 0 to 6 of them), and it cannot pace the web process's mail.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../db/schema.ts';
import { takeRelaySendSlots } from '../stores/outbox-store.ts';

export interface RelayRateLimiter {
  /** Resolves when this process may hand one message to the relay. */
  acquire(): Promise<void>;
}

export function createRelayRateLimiter(db: Kysely<Database>, relay: string, ratePerSecond: number): RelayRateLimiter {
  const spacingSeconds = 1 / ratePerSecond;
  const asking: { take: (waitMs: number) => void; fail: (error: unknown) => void }[] = [];
  let taking = false;
  /** Takes slots for everyone asking, one statement per batch, until nobody is left waiting. */
  const takeForAsking = async () => {
    taking = true;
    try {
      while (asking.length > 0) {
        const batch = asking.splice(0);
        try {
          const firstWaitMs = await takeRelaySendSlots(db, relay, spacingSeconds, batch.length);
          batch.forEach((ask, i) => ask.take(firstWaitMs + i * spacingSeconds * 1000));
        } catch (error) {
          for (const ask of batch) ask.fail(error);
        }
      }
    } finally {
      taking = false;
    }
  };
  return {
    async acquire() {
      const waitMs = await new Promise<number>((take, fail) => {
        asking.push({ take, fail });
        if (!taking) void takeForAsking();
      });
      if (waitMs > 0) await sleep(waitMs);
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
