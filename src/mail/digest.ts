/**
 * Digests: the one home of "gather these messages and send them as one".
 *
 * A caller that would send a message to someone who chose a digest *holds* it instead:
 *
 *     const held = await holdForDigest(db, { recipient, frequency, clock, item, now });
 *     await scheduleDigestDelivery(held.period);          // durable: a Temporal timer (digest-delivery workflow)
 *
 * and, when the period has ended, *delivers* the period as one message:
 *
 *     await deliverDigest(outboxDeps, periodId, compose, now);
 *
 * Generic over the recipient: `recipient` is `{ kind, id }` ("participant" + person id here;
 * "staff" + staff id for coordinator digests), and `compose` — supplied per kind — turns the
 * held items into the one message and says who it goes to. This module never renders.
 *
 * Guarantees:
 * - A period is a row keyed by (recipient kind, recipient id, frequency, start); its message
 *   is one outbox row keyed by recipient and period (step `digest:<frequency>:<start ISO>`),
 *   so it has the outbox's delivery guarantee: sent at most once, retried until accepted.
 * - An item is keyed by the message it stands for: a retried hold lands once.
 * - Holding and closing take the period row's lock, so across processes an item either joins
 *   a period before its delivery reads it or opens the next period; nothing is lost between.
 * - A period with no items sends nothing.
 * Deadlines and escalation are untouched: only delivery changes.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  closeDigestPeriod,
  findPeriodHoldingItem,
  insertDigestItem,
  listHeldDigestItems,
  lockDigestPeriod,
  lockDigestRecipient,
  lockOpenDigestPeriod,
  openDigestPeriod,
  setDigestOutbox,
  type DigestItem,
  type DigestPeriod,
  type DigestRecipient,
  type HeldDigestItem,
} from '../stores/digest-store.ts';
import { deliver, type DeliveryResult, type MailContent, type OutboxDeps, type OutboxEntry } from './outbox.ts';
import { digestPeriodAt, type DigestClock, type DigestFrequency } from './digest-period.ts';

export { DIGEST_FREQUENCIES, digestPeriodAt, digestPeriodLengthMs, type DigestClock, type DigestFrequency } from './digest-period.ts';

export type { DigestItem, DigestPeriod, DigestRecipient, HeldDigestItem } from '../stores/digest-store.ts';

/** What `compose` returns: the message and its reader, or null to send nothing (say, the recipient is gone). */
export type DigestComposition = { recipient: OutboxEntry['recipient']; content: MailContent } | null;
export type DigestComposer = (period: DigestPeriod, items: HeldDigestItem[]) => Promise<DigestComposition>;

/** The digest message's step: the period in the outbox key, so one period is one message. */
export function digestStep(period: Pick<DigestPeriod, 'frequency' | 'startsAt'>): string {
  return `digest:${period.frequency}:${period.startsAt.toISOString()}`;
}

/**
 * Holds one message for the recipient's open period (opening one when none is), and returns
 * that period so the caller can make sure its delivery is scheduled.
 */
export async function holdForDigest(
  db: Kysely<Database>,
  options: { recipient: DigestRecipient; frequency: DigestFrequency; clock: DigestClock; item: DigestItem; now: Date },
): Promise<{ period: DigestPeriod; alreadyHeld: boolean }> {
  const { recipient, frequency, clock, item, now } = options;
  return db.transaction().execute(async (trx) => {
    // One recipient's holds queue up here, so two processes never open two periods at once.
    await lockDigestRecipient(trx, recipient);
    const existing = await findPeriodHoldingItem(trx, item.itemKey);
    if (existing) return { period: existing, alreadyHeld: true };

    let open = await lockOpenDigestPeriod(trx, recipient, frequency, now);
    if (!open) {
      const span = digestPeriodAt(frequency, now.getTime(), clock);
      open = await openDigestPeriod(trx, { recipient, frequency, startsAt: new Date(span.startsAt), endsAt: new Date(span.endsAt) });
    }
    await insertDigestItem(trx, open.id, item);
    return { period: open, alreadyHeld: false };
  });
}

export type DigestOutcome = { outcome: 'not-yet'; endsAt: Date } | { outcome: 'empty' } | { outcome: 'nobody' } | DeliveryResult;

/**
 * Sends a period's one message once the period has ended: closes it (no item joins after),
 * composes it from its items, and delivers it through the outbox. Safe to repeat: a repeat
 * re-composes the same items and the outbox key says whether it was sent.
 */
export async function deliverDigest(deps: OutboxDeps, periodId: string, compose: DigestComposer, now: Date = new Date()): Promise<DigestOutcome> {
  const closed = await deps.db.transaction().execute(async (trx) => {
    const { period, closedAt } = await lockDigestPeriod(trx, periodId);
    if (period.endsAt.getTime() > now.getTime() && !closedAt) return { kind: 'not-yet' as const, endsAt: period.endsAt };
    if (!closedAt) await closeDigestPeriod(trx, periodId, now);
    return { kind: 'closed' as const, period };
  });
  if (closed.kind === 'not-yet') return { outcome: 'not-yet', endsAt: closed.endsAt };
  const { period } = closed;
  const items = await listHeldDigestItems(deps.db, periodId);
  if (items.length === 0) return { outcome: 'empty' };
  const composition = await compose(period, items);
  if (!composition) return { outcome: 'nobody' };
  const result = await deliver(
    deps,
    { cycleId: null, step: digestStep(period), kind: 'digest', sequence: 0, recipient: composition.recipient },
    () => composition.content,
  );
  if (result.outcome === 'sent' || result.outcome === 'already-sent') {
    await setDigestOutbox(deps.db, periodId, result.outboxId);
  }
  return result;
}
