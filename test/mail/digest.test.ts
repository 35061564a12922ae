/**
 * The digest core (src/mail/digest.ts) on the real Postgres and SMTP sink: periods follow
 * the recipient's calendar (or open with the first held message under a compressed policy),
 * a message held twice is held once, holds from several connections at once share one
 * period, a period is sent once as one outbox row and never before it ends, an empty period
 * sends nothing, and a message held after a period closed opens the next one.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDigest, digestPeriodAt, holdForDigest, type DigestComposer } from '../../src/mail/digest.ts';
import { senderOf } from '../../src/activities/notifications.ts';
import { startMailFixture, type MailFixture } from './support/mail-fixture.ts';

const HOUR = 3_600_000;

describe('digest periods', () => {
  it('a daily digest covers one local day, even the 25-hour day when clocks fall back', () => {
    const at = Date.parse('2026-11-01T15:00:00Z'); // New York falls back at 02:00 that morning
    const span = digestPeriodAt('daily', at, { timeZone: 'America/New_York', timeCompression: 1 });
    expect(new Date(span.startsAt).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(span.endsAt - span.startsAt).toBe(25 * HOUR);
  });

  it('a weekly digest runs from Monday midnight in the reader’s zone', () => {
    const span = digestPeriodAt('weekly', Date.parse('2026-12-03T23:30:00Z'), { timeZone: 'Asia/Tokyo', timeCompression: 1 }); // Friday morning in Tokyo
    expect(new Date(span.startsAt).toISOString()).toBe('2026-11-29T15:00:00.000Z'); // Monday 30 November, 00:00 in Tokyo
    expect(span.endsAt - span.startsAt).toBe(7 * 24 * HOUR);
  });

  it('under a compressed policy a period opens with its first message and lasts a compressed week', () => {
    const at = Date.parse('2026-12-01T10:00:00Z');
    expect(digestPeriodAt('weekly', at, { timeZone: 'UTC', timeCompression: 86_400 })).toEqual({ startsAt: at, endsAt: at + 7_000 });
  });
});

describe('holding and delivering a digest', () => {
  let f: MailFixture;
  beforeAll(async () => {
    f = await startMailFixture();
  });
  afterAll(async () => f?.close());

  const clock = { timeZone: 'America/New_York', timeCompression: 1 };
  const item = (key: string) => ({ itemKey: key, kind: 'reminder-before-due', cycleId: null, step: 'expectations', facts: { dueAt: '2026-12-10T17:00:00.000Z' } });
  const compose =
    (email: string): DigestComposer =>
    async (period, items) => ({
      recipient: { personId: null, email, name: 'Pat Reader', role: 'participant' },
      content: { subject: `Digest: ${items.length}`, text: items.map((i) => i.itemKey).join('\n'), html: `<p>${items.length}</p>` },
    });

  it('holds each message once, shares one period across connections, and sends it once after it ends', async () => {
    const recipient = { kind: 'test', id: randomUUID() };
    const email = `reader.${recipient.id.slice(0, 8)}@example.edu`;
    const now = new Date('2026-12-02T15:00:00Z');
    // Ten holds at once from a pool of connections: one period, ten items.
    const held = await Promise.all(Array.from({ length: 10 }, (_, i) => holdForDigest(f.db, { recipient, frequency: 'daily', clock, item: item(`${recipient.id}/k${i}`), now })));
    expect(new Set(held.map((h) => h.period.id)).size).toBe(1);
    const again = await holdForDigest(f.db, { recipient, frequency: 'daily', clock, item: item(`${recipient.id}/k3`), now });
    expect(again.alreadyHeld).toBe(true);
    const period = held[0]!.period;
    expect(await f.db.selectFrom('digest_items').select('id').where('period_id', '=', period.id).execute()).toHaveLength(10);

    // Not before its end; then one message, once.
    expect(await deliverDigest(senderOf(f.deps), period.id, compose(email), now)).toEqual({ outcome: 'not-yet', endsAt: period.endsAt });
    const after = new Date(period.endsAt.getTime() + 1000);
    expect((await deliverDigest(senderOf(f.deps), period.id, compose(email), after)).outcome).toBe('sent');
    expect((await deliverDigest(senderOf(f.deps), period.id, compose(email), after)).outcome).toBe('already-sent');
    await f.mail.waitFor(() => f.mail.to(email).length === 1);
    expect(f.mail.to(email)[0]!.parsed.subject).toBe('Digest: 10');
    const rows = await f.db.selectFrom('outbox').select(['idempotency_key', 'status']).where('to_address', '=', email).execute();
    expect(rows).toEqual([{ idempotency_key: `-/digest:daily:${period.startsAt.toISOString()}/digest/0/${email}`, status: 'sent' }]);

    // Held after the period closed: the next period, not the sent one.
    const late = await holdForDigest(f.db, { recipient, frequency: 'daily', clock, item: item(`${recipient.id}/late`), now: after });
    expect(late.period.id).not.toBe(period.id);
    expect(late.period.startsAt.getTime()).toBe(period.endsAt.getTime());
    expect(f.mail.to(email)).toHaveLength(1);
  });

  it('an empty period sends nothing', async () => {
    const recipient = { kind: 'test', id: randomUUID() };
    const email = `empty.${recipient.id.slice(0, 8)}@example.edu`;
    const row = await f.db
      .insertInto('digest_periods')
      .values({ recipient_kind: recipient.kind, recipient_id: recipient.id, frequency: 'weekly', starts_at: new Date('2026-11-30T05:00:00Z'), ends_at: new Date('2026-12-07T05:00:00Z') })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await deliverDigest(senderOf(f.deps), row.id, compose(email), new Date('2026-12-08T00:00:00Z'))).toEqual({ outcome: 'empty' });
    expect(await f.db.selectFrom('outbox').select('id').where('to_address', '=', email).execute()).toEqual([]);
  });
});
