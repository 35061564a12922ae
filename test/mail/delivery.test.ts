/**
 * Delivery under failure, against the real SMTP sink and Postgres: a send that fails
 * after SMTP accepted, concurrent attempts, the relay down and back, a permanent refusal,
 * and what a lapsed lease does (the one window where a message can be sent twice).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities/index.ts';
import type { NotificationRequest } from '../../src/activities/types.ts';
import { MailCatcher } from '../../src/mail/catcher.ts';
import { deliver, DeliveryDeferredError } from '../../src/mail/outbox.ts';
import { createMailTransport } from '../../src/mail/transport.ts';
import type { Transporter } from 'nodemailer';
import { createPair, MAIL_FROM, menteeNudge, startMailFixture, type MailFixture } from './support/mail-fixture.ts';

describe('delivery through the outbox', () => {
  let f: MailFixture;
  beforeAll(async () => {
    f = await startMailFixture();
  });
  afterAll(() => f?.close());

  const request = (cycleId: string, sequence = 0): NotificationRequest => ({
    cycleId,
    step: 'expectations',
    kind: 'expectations-requested',
    sequence,
    audience: ['mentor', 'mentee'],
    facts: { dueAt: '2026-12-01T17:00:00Z' },
  });
  const outboxOf = (cycleId: string) => f.db.selectFrom('outbox').selectAll().where('cycle_id', '=', cycleId).orderBy('id').execute();

  it('a send that failed after SMTP accepted one copy is retried without sending it again', async () => {
    const pair = await createPair(f.db, f.policy);
    // The mentor's copy is accepted; the mentee's is deferred, so the activity fails after an accepted send.
    f.mail.rejectRecipients.set(pair.menteeEmail, { code: 451, message: '4.3.0 Mailbox busy, try later' });
    const failed = await f.activities.sendNotification(request(pair.cycleId)).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DeliveryDeferredError);
    expect((failed as Error).message).toMatch(/^1 of 2 messages must be retried: outbox \d+ deferred \(451 /);
    expect(f.mail.to(pair.mentorEmail)).toHaveLength(1);
    // The two copies are inserted in one statement, so their ids say nothing of who was first: take them by recipient.
    const copies = async () => {
      const rows = await outboxOf(pair.cycleId);
      return [pair.mentorId, pair.menteeId].map((id) => rows.find((r) => r.recipient_person_id === id));
    };
    const rows = await copies();
    expect(rows.map((r) => [r?.recipient_person_id, r?.status, r?.attempts])).toEqual([
      [pair.mentorId, 'sent', 1],
      [pair.menteeId, 'pending', 1],
    ]);
    expect(rows[1]!.last_error).toContain('451 4.3.0 Mailbox busy');

    f.mail.rejectRecipients.delete(pair.menteeEmail);
    expect(await f.activities.sendNotification(request(pair.cycleId))).toEqual({ sent: 1, alreadySent: 1, refused: 0 });
    expect(await f.activities.sendNotification(request(pair.cycleId))).toEqual({ sent: 0, alreadySent: 2, refused: 0 });
    expect(f.mail.to(pair.mentorEmail)).toHaveLength(1);
    expect(f.mail.to(pair.menteeEmail)).toHaveLength(1);
    const [mentorRow, menteeRow] = await copies();
    expect(f.mail.to(pair.mentorEmail)[0]!.parsed.messageId).toBe(mentorRow!.message_id);
    expect(f.mail.to(pair.menteeEmail)[0]!.parsed.messageId).toBe(menteeRow!.message_id);
    expect(menteeRow).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('concurrent attempts at the same notification send each copy once', async () => {
    const pair = await createPair(f.db, f.policy);
    const attempts = await Promise.allSettled(Array.from({ length: 6 }, () => f.activities.sendNotification(request(pair.cycleId))));
    for (const a of attempts) if (a.status === 'rejected') expect(a.reason).toBeInstanceOf(DeliveryDeferredError);
    const sentByAttempts = attempts.reduce((n, a) => n + (a.status === 'fulfilled' ? a.value.sent : 0), 0);
    expect(sentByAttempts).toBeLessThanOrEqual(2);
    // However the race went, one more retry settles it and nothing is sent twice.
    expect(await f.activities.sendNotification(request(pair.cycleId))).toEqual({ sent: 0, alreadySent: 2, refused: 0 });
    expect(f.mail.to(pair.mentorEmail)).toHaveLength(1);
    expect(f.mail.to(pair.menteeEmail)).toHaveLength(1);
  });

  it('holds everything while the relay refuses transactions, then delivers it all once', async () => {
    const pair = await createPair(f.db, f.policy);
    f.mail.rejectWith = { code: 421, message: '4.3.2 Service shutting down' };
    for (let i = 0; i < 2; i++) {
      await expect(f.activities.sendNotification(request(pair.cycleId))).rejects.toBeInstanceOf(DeliveryDeferredError);
      await expect(
        f.activities.sendCheckInInvite({
          cycleId: pair.cycleId,
          step: 'check-in-1',
          method: 'REQUEST',
          startsAt: '2026-10-01T14:00:00Z',
          endsAt: '2026-10-01T14:45:00Z',
          revision: 1,
        }),
      ).rejects.toBeInstanceOf(DeliveryDeferredError);
    }
    expect(f.mail.to(pair.mentorEmail)).toHaveLength(0);
    expect((await outboxOf(pair.cycleId)).map((r) => [r.status, r.attempts])).toEqual([
      ['pending', 2],
      ['pending', 2],
      ['pending', 2],
      ['pending', 2],
    ]);
    f.mail.rejectWith = null;
    expect(await f.activities.sendNotification(request(pair.cycleId))).toEqual({ sent: 2, alreadySent: 0, refused: 0 });
    expect(
      await f.activities.sendCheckInInvite({
        cycleId: pair.cycleId,
        step: 'check-in-1',
        method: 'REQUEST',
        startsAt: '2026-10-01T14:00:00Z',
        endsAt: '2026-10-01T14:45:00Z',
        revision: 1,
      }),
    ).toMatchObject({ sequence: 0, sent: 2 });
    for (const address of [pair.mentorEmail, pair.menteeEmail]) {
      const kinds = f.mail.to(address).map((m) => m.parsed.headers.get('x-tandem-kind'));
      expect(kinds).toEqual(['expectations-requested', 'check-in-invite']);
    }
  });

  it('waits out a relay that is not there at all, then delivers once when it comes up', async () => {
    const probe = new MailCatcher();
    const port = await probe.listen();
    await probe.close();
    const mailer = createMailTransport(`smtp://127.0.0.1:${port}?tls=off`);
    const activities = createActivities({ ...f.deps, mailer });
    const pair = await createPair(f.db, f.policy);
    const down = await activities.sendNotification(request(pair.cycleId)).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(DeliveryDeferredError);
    expect((down as Error).message).toContain('ECONNREFUSED');

    const relay = new MailCatcher({ port });
    await relay.listen();
    try {
      expect(await activities.sendNotification(request(pair.cycleId))).toEqual({ sent: 2, alreadySent: 0, refused: 0 });
      expect(await activities.sendNotification(request(pair.cycleId))).toEqual({ sent: 0, alreadySent: 2, refused: 0 });
      expect(relay.messages.map((m) => m.envelopeTo[0]).sort()).toEqual([pair.mentorEmail, pair.menteeEmail].sort());
    } finally {
      mailer.close();
      await relay.close();
    }
  });

  it('records a permanent refusal on the row, the person and the cycle, and still delivers to the others', async () => {
    const pair = await createPair(f.db, f.policy);
    f.mail.rejectRecipients.set(pair.menteeEmail, { code: 550, message: '5.1.1 No such user here' });
    try {
      expect(await f.activities.sendNotification(request(pair.cycleId))).toEqual({ sent: 1, alreadySent: 0, refused: 1 });
      const invite = await f.activities.sendCheckInInvite({
        cycleId: pair.cycleId,
        step: 'check-in-1',
        method: 'REQUEST',
        startsAt: '2026-10-01T14:00:00Z',
        endsAt: '2026-10-01T14:45:00Z',
        revision: 1,
      });
      expect(invite).toMatchObject({ sent: 1, refused: 1 });
    } finally {
      f.mail.rejectRecipients.delete(pair.menteeEmail);
    }
    expect(f.mail.to(pair.mentorEmail)).toHaveLength(2);
    expect(f.mail.to(pair.menteeEmail)).toHaveLength(0);

    const rows = await outboxOf(pair.cycleId);
    const menteeRows = rows.filter((r) => r.recipient_person_id === pair.menteeId);
    expect(menteeRows.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(menteeRows[0]!.last_error).toBe('550 5.1.1 No such user here');
    // The second was never offered to the relay: the address was already known bad.
    expect(menteeRows[1]!.last_error).toMatch(/^not sent: mentee\.\w+@example\.edu refused mail earlier/);
    const person = await f.db.selectFrom('people').selectAll().where('id', '=', pair.menteeId).executeTakeFirstOrThrow();
    expect(person.undeliverable_email).toBe(pair.menteeEmail);
    expect(person.undeliverable_since).toBeInstanceOf(Date);
    const cycle = await f.db.selectFrom('cycles').select(['delivery_problem', 'delivery_problem_at']).where('id', '=', pair.cycleId).executeTakeFirstOrThrow();
    expect(cycle.delivery_problem).toBe(`Mail to the mentee (${pair.menteeEmail}) is refused: 550 5.1.1 No such user here. Check the address.`);

    // A corrected address lifts the mark: the next message goes out.
    const corrected = pair.menteeEmail.replace('mentee.', 'mentee.fixed.');
    await f.db.updateTable('people').set({ email: corrected }).where('id', '=', pair.menteeId).execute();
    expect(await f.activities.sendNotification({ ...request(pair.cycleId), kind: 'nudge' })).toEqual({ sent: 2, alreadySent: 0, refused: 0 });
    expect(f.mail.to(corrected)).toHaveLength(1);
  });

  // Called directly there is no heartbeat to remember the acceptance (worker.test.ts covers that path),
  // so this is the crash case: the row waits out its lease.
  it('when the sent mark itself cannot be written, holds the row until its lease lapses, then resends with the same Message-ID', async () => {
    const pair = await createPair(f.db, f.policy);
    await sql
      .raw(
        `create or replace function refuse_sent_mark_${pair.cycleId.slice(0, 8)}() returns trigger language plpgsql as $$
         begin if new.status = 'sent' and new.cycle_id = '${pair.cycleId}' then raise exception 'simulated database outage'; end if; return new; end $$;
         create trigger refuse_sent_mark_${pair.cycleId.slice(0, 8)} before update on outbox for each row execute function refuse_sent_mark_${pair.cycleId.slice(0, 8)}();`,
      )
      .execute(f.db);
    const single: NotificationRequest = { ...request(pair.cycleId), audience: ['mentee'] };
    try {
      await expect(f.activities.sendNotification(single)).rejects.toThrow(/accepted by the relay but could not be marked sent/);
      expect(f.mail.to(pair.menteeEmail)).toHaveLength(1);
      // The retry comes while the lease is live: it must not send again.
      const retried = await f.activities.sendNotification(single).catch((e: unknown) => e);
      expect(retried).toBeInstanceOf(DeliveryDeferredError);
      expect((retried as Error).message).toContain('is being sent by another attempt');
      expect(f.mail.to(pair.menteeEmail)).toHaveLength(1);
    } finally {
      await sql
        .raw(`drop trigger refuse_sent_mark_${pair.cycleId.slice(0, 8)} on outbox; drop function refuse_sent_mark_${pair.cycleId.slice(0, 8)}();`)
        .execute(f.db);
    }
    // Once the lease lapses nobody can know whether the relay took it: we resend rather than lose it.
    await f.db
      .updateTable('outbox')
      .set({ lease_until: new Date(Date.now() - 1000) })
      .where('cycle_id', '=', pair.cycleId)
      .execute();
    expect(await f.activities.sendNotification(single)).toEqual({ sent: 1, alreadySent: 0, refused: 0 });
    const copies = f.mail.to(pair.menteeEmail);
    expect(copies).toHaveLength(2);
    expect(copies[1]!.parsed.messageId).toBe(copies[0]!.parsed.messageId);
  });

  it('keeps its claim while a message waits in the transport longer than the lease', async () => {
    const pair = await createPair(f.db, f.policy);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    // The first send waits (as behind a long rate-limit queue); any later one would go straight out.
    const slowFirst = {
      sendMail: async (message: Parameters<Transporter['sendMail']>[0]) => {
        if (calls++ === 0) await gate;
        return f.mailer.sendMail(message);
      },
    } as unknown as Transporter;
    const outbox = { db: f.db, mailer: slowFirst, mailFrom: MAIL_FROM, senderName: 'Department of Biology Mentoring', leaseSeconds: 2 };
    const entry = menteeNudge(pair);
    const content = () => ({ subject: 'Waiting', text: 'text', html: '<p>html</p>' });

    const first = deliver(outbox, entry, content);
    await new Promise((r) => setTimeout(r, 5_000)); // more than twice the lease
    expect(await deliver(outbox, entry, content)).toMatchObject({ outcome: 'in-flight' });
    release();
    expect(await first).toMatchObject({ outcome: 'sent' });
    expect(await deliver(outbox, entry, content)).toMatchObject({ outcome: 'already-sent' });
    await f.mail.waitFor(() => f.mail.to(pair.menteeEmail).length >= 1);
    expect(f.mail.to(pair.menteeEmail)).toHaveLength(1);
    expect(calls).toBe(1);
  });
});
