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
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { deliver, type DeliveryResult, type MailContent, type OutboxDeps, type OutboxEntry } from './outbox.ts';
import { digestPeriodAt, type DigestClock, type DigestFrequency } from './digest-period.ts';

export { DIGEST_FREQUENCIES, digestPeriodAt, digestPeriodLengthMs, type DigestClock, type DigestFrequency } from './digest-period.ts';

export interface DigestRecipient {
  /** "participant" (people.id) or "staff" (staff.id): who `compose` looks the recipient up as. */
  kind: string;
  id: string;
}

/** A message held for a digest: ids, kind and non-confidential facts, as a notification carries them. */
export interface DigestItem {
  /** The held message's business key (its outbox key): holding it twice keeps one. */
  itemKey: string;
  kind: string;
  cycleId: string | null;
  step: string | null;
  facts: Record<string, string | number | null>;
}

export interface DigestPeriod {
  id: string;
  recipient: DigestRecipient;
  frequency: DigestFrequency;
  startsAt: Date;
  endsAt: Date;
}

export interface HeldDigestItem extends DigestItem {
  heldAt: Date;
}

/** What `compose` returns: the message and its reader, or null to send nothing (say, the recipient is gone). */
export type DigestComposition = { recipient: OutboxEntry['recipient']; content: MailContent } | null;
export type DigestComposer = (period: DigestPeriod, items: HeldDigestItem[]) => Promise<DigestComposition>;

type PeriodRow = { id: string; recipient_kind: string; recipient_id: string; frequency: DigestFrequency; starts_at: Date; ends_at: Date };

function periodOf(row: PeriodRow): DigestPeriod {
  return { id: row.id, recipient: { kind: row.recipient_kind, id: row.recipient_id }, frequency: row.frequency, startsAt: row.starts_at, endsAt: row.ends_at };
}

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
    await sql`select pg_advisory_xact_lock(hashtext(${`digest:${recipient.kind}:${recipient.id}`}))`.execute(trx);
    const existing = await trx
      .selectFrom('digest_items')
      .innerJoin('digest_periods', 'digest_periods.id', 'digest_items.period_id')
      .select(['digest_periods.id', 'recipient_kind', 'recipient_id', 'frequency', 'starts_at', 'ends_at'])
      .where('item_key', '=', item.itemKey)
      .executeTakeFirst();
    if (existing) return { period: periodOf(existing), alreadyHeld: true };

    let open = await trx
      .selectFrom('digest_periods')
      .select(['id', 'recipient_kind', 'recipient_id', 'frequency', 'starts_at', 'ends_at'])
      .where('recipient_kind', '=', recipient.kind)
      .where('recipient_id', '=', recipient.id)
      .where('frequency', '=', frequency)
      .where('closed_at', 'is', null)
      .where('starts_at', '<=', now)
      .where('ends_at', '>', now)
      .forUpdate()
      .executeTakeFirst();
    if (!open) {
      const span = digestPeriodAt(frequency, now.getTime(), clock);
      open = await trx
        .insertInto('digest_periods')
        .values({ recipient_kind: recipient.kind, recipient_id: recipient.id, frequency, starts_at: new Date(span.startsAt), ends_at: new Date(span.endsAt) })
        .onConflict((oc) => oc.constraint('digest_periods_key').doUpdateSet({ frequency }))
        .returning(['id', 'recipient_kind', 'recipient_id', 'frequency', 'starts_at', 'ends_at'])
        .executeTakeFirstOrThrow();
    }
    await trx
      .insertInto('digest_items')
      .values({ period_id: open.id, item_key: item.itemKey, kind: item.kind, cycle_id: item.cycleId, step: item.step, facts: JSON.stringify(item.facts) })
      .execute();
    return { period: periodOf(open), alreadyHeld: false };
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
    const row = await trx
      .selectFrom('digest_periods')
      .select(['id', 'recipient_kind', 'recipient_id', 'frequency', 'starts_at', 'ends_at', 'closed_at'])
      .where('id', '=', periodId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.ends_at.getTime() > now.getTime() && !row.closed_at) return { kind: 'not-yet' as const, endsAt: row.ends_at };
    if (!row.closed_at) await trx.updateTable('digest_periods').set({ closed_at: now }).where('id', '=', periodId).execute();
    return { kind: 'closed' as const, period: periodOf(row) };
  });
  if (closed.kind === 'not-yet') return { outcome: 'not-yet', endsAt: closed.endsAt };
  const { period } = closed;
  const rows = await deps.db.selectFrom('digest_items').selectAll().where('period_id', '=', periodId).orderBy('held_at').orderBy('id').execute();
  if (rows.length === 0) return { outcome: 'empty' };
  const items = rows.map((r) => ({ itemKey: r.item_key, kind: r.kind, cycleId: r.cycle_id, step: r.step, facts: r.facts, heldAt: new Date(r.held_at as Date) }));
  const composition = await compose(period, items);
  if (!composition) return { outcome: 'nobody' };
  const result = await deliver(deps, { cycleId: null, step: digestStep(period), kind: 'digest', sequence: 0, recipient: composition.recipient }, () => composition.content);
  if (result.outcome === 'sent' || result.outcome === 'already-sent') {
    await deps.db.updateTable('digest_periods').set({ outbox_id: result.outboxId }).where('id', '=', periodId).execute();
  }
  return result;
}
