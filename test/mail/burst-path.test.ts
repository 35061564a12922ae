/**
 * The burst path, against the real SMTP sink and Postgres: many invites at once take the
 * one-statement insert-and-claim and share batched sent marks, and still leave every row
 * exactly as the step-by-step path would (sent, one attempt, its own subject and Message-ID),
 * so a retry of any of them sends nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities/index.ts';
import { deliver } from '../../src/mail/outbox.ts';
import { loggingStatements } from '../support/statement-log.ts';
import { createPair, MAIL_FROM, menteeNudge, startMailFixture, type MailFixture } from './support/mail-fixture.ts';

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

  it('inserts both copies of an invite in one statement, and reads the revision its projection recorded instead of writing it again', async () => {
    const pairs = await Promise.all(Array.from({ length: 4 }, () => createPair(f.db, f.policy)));
    const log = loggingStatements(f.db);
    const activities = createActivities({ ...f.deps, db: log.db });
    const request = (cycleId: string) => ({
      cycleId,
      step: 'check-in-1',
      method: 'REQUEST' as const,
      startsAt: '2026-12-02T15:00:00Z',
      endsAt: '2026-12-02T15:45:00Z',
      revision: 0,
    });
    // The projection records the revision; the delivery that follows sends it.
    for (const p of pairs) await activities.recordCheckInInvite(request(p.cycleId));
    log.nodes.length = 0;
    const sent = await Promise.all(pairs.map((p) => activities.sendCheckInInvite(request(p.cycleId))));
    const statements = log.names();
    expect(sent.map((r) => [r.sent, r.sequence, r.stale])).toEqual(pairs.map(() => [2, 0, false]));
    // Per invite at most one outbox insert (both copies), and no invite write: the recorded revision is read.
    expect(statements.filter((s) => s === 'insert into outbox').length).toBeLessThanOrEqual(pairs.length);
    expect(statements.filter((s) => s.includes('"check_in_invites"') && !s.startsWith('{"kind":"SelectQueryNode"')).length).toBe(0);
    expect(statements.some((s) => s.includes('"check_in_invites"'))).toBe(true);
    const rows = await f.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where(
        'cycle_id',
        'in',
        pairs.map((p) => p.cycleId),
      )
      .execute();
    expect(rows).toHaveLength(pairs.length * 2);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('sends a message asked for twice in the same turn once: the second ask sees it in flight', async () => {
    const pair = await createPair(f.db, f.policy);
    const outbox = { db: f.db, mailer: f.mailer, mailFrom: MAIL_FROM, senderName: 'Department of Biology Mentoring' };
    const entry = menteeNudge(pair);
    const content = () => ({ subject: 'Twice', text: 'text', html: '<p>html</p>' });
    const outcomes = await Promise.all([deliver(outbox, entry, content), deliver(outbox, entry, content)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['in-flight', 'sent']);
    await f.mail.waitFor(() => f.mail.to(pair.menteeEmail).length >= 1);
    expect(f.mail.to(pair.menteeEmail).filter((m) => m.parsed.subject === 'Twice')).toHaveLength(1);
  });
});
