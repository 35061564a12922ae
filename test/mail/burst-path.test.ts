/**
 * The burst path, against the real SMTP sink and Postgres: many invites at once take the
 * one-statement insert-and-claim and share batched sent marks, and still leave every row
 * exactly as the step-by-step path would (sent, one attempt, its own subject and Message-ID),
 * so a retry of any of them sends nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPair, startMailFixture, type MailFixture } from './support/mail-fixture.ts';

describe('a burst of invites', () => {
  let f: MailFixture;
  beforeAll(async () => {
    f = await startMailFixture();
  });
  afterAll(() => f?.close());

  it('sends each copy once, marks every row sent with its own subject, and a retry sends nothing', async () => {
    const pairs = await Promise.all(Array.from({ length: 6 }, () => createPair(f.db, f.policy)));
    const startsAt = '2026-12-01T15:00:00Z';
    const endsAt = '2026-12-01T15:45:00Z';
    const invite = (cycleId: string) => f.activities.sendCheckInInvite({ cycleId, step: 'check-in-1', method: 'REQUEST', startsAt, endsAt, revision: 0 });

    const first = await Promise.all(pairs.map((p) => invite(p.cycleId)));
    expect(first.map((r) => [r.sent, r.alreadySent, r.refused])).toEqual(pairs.map(() => [2, 0, 0]));

    const cycleIds = pairs.map((p) => p.cycleId);
    const rows = await f.db.selectFrom('outbox').selectAll().where('cycle_id', 'in', cycleIds).execute();
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'sent', attempts: 1, lease_until: null, last_error: null, kind: 'check-in-invite' });
      expect(row.sent_at).toBeInstanceOf(Date);
      const [sent] = f.mail.to(row.to_address).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'check-in-invite');
      expect(sent?.parsed.messageId).toBe(row.message_id);
      expect(sent?.parsed.subject).toBe(row.subject);
    }

    const retried = await Promise.all(pairs.map((p) => invite(p.cycleId)));
    expect(retried.map((r) => [r.sent, r.alreadySent])).toEqual(pairs.map(() => [0, 2]));
    for (const p of pairs) {
      expect(f.mail.to(p.mentorEmail).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'check-in-invite')).toHaveLength(1);
      expect(f.mail.to(p.menteeEmail).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'check-in-invite')).toHaveLength(1);
    }
  });
});
