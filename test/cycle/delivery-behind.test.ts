/**
 * Mail follows the Update; it does not hold it. Every message goes through a relay that
 * holds all connections (test/support/held-relay.ts) while a cohort's mail — 240 messages in
 * 120 deliveries, more than the worker's activity slots — queues behind it:
 * "we met" and the dashboard's "end the pair" still answer, with the cycle's state and its
 * projection written — and nothing has been sent yet. Released, every message arrives once.
 *
 * The enrollment pass tries its own mail first (src/activities/effects.ts, in-pass delivery):
 * held, it hands it to the delivery activity at its budget, and the worker's next passes hand
 * theirs over at once while the relay looks slow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performCycleAction } from '../../src/web/coordinator/cycle-actions.ts';
import * as defs from '../../src/workflows/definitions.ts';
import { enrollTestPair, eventually, view } from '../support/cycle.ts';
import { HeldRelay } from '../support/held-relay.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { shortYearPolicy } from '../web/support/participant-web.ts';

describe('an Update answers before its mail is sent', () => {
  let stack: TestStack;
  const relay = new HeldRelay();
  beforeAll(async () => {
    // A policy day each second; check-in 1 opens on day 8 (after the pair has agreed its cadence,
    // even when its first Update waits out the enrollment pass's budget) and stays open for two months.
    const policy = shortYearPolicy();
    policy.stages.checkIns[0] = { ...policy.stages.checkIns[0]!, opensAtDay: 8 };
    stack = await startTestStack({ policy, smtpUrl: (sink) => relay.listen(sink) });
  });
  afterAll(async () => {
    relay.release();
    await stack?.close();
    await relay.close();
  });

  it('"we met" and "end the pair" answer while the relay holds every message', { timeout: 120_000 }, async () => {
    // A cohort's opening mail queues behind the relay first: more deliveries than the worker
    // has activity slots (100), so the projection could not get one if it queued behind them.
    // The pair under test agrees its cadence first, so check-in 1 gets a proposed meeting.
    const c = await enrollTestPair(stack);
    const mentor = { role: 'mentor' as const, personId: c.mentorId };
    const mentee = { role: 'mentee' as const, personId: c.menteeId };
    await c.handle.executeUpdate(defs.shareExpectationsUpdate, {
      args: [{ actor: mentor, expectationsId: 'exp', meetingCadenceDays: 7, meetingLocalTime: '10:00', meetingFormat: 'video' }],
    });
    await c.handle.executeUpdate(defs.acknowledgeExpectationsUpdate, { args: [{ actor: mentee }] });
    // Nothing could be sent within a pass: the mail so far (enrollment's, both Updates') waits in the delivery activity.
    const pending = await c.handle.describe();
    expect(pending.raw.pendingActivities?.map((a) => a.activityType?.name)).toContain('deliverEffects');
    const cohort = [c];
    for (let i = 0; i < 120; i += 20) cohort.push(...(await Promise.all(Array.from({ length: 20 }, () => enrollTestPair(stack)))));
    const checkIn = await eventually(
      () => view(c),
      (v) => v.steps.find((s) => s.id === 'check-in-1')?.meeting != null,
      60_000,
      'check-in 1 to be proposed',
    );
    // Deliveries are under way and stuck at the relay: each has written the row of the message it
    // waits on (one at a time per delivery), so 100 rows is about the worker's 100 activity slots.
    const waiting = () =>
      stack.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where(
          'cycle_id',
          'in',
          cohort.map((p) => p.cycleId),
        )
        .executeTakeFirstOrThrow();
    await eventually(waiting, (r) => Number(r.n) >= 100, 60_000, 'the cohort mail to queue at the relay');
    const startsAt = Date.parse(checkIn.steps.find((s) => s.id === 'check-in-1')!.meeting!.startsAt);
    await eventually(
      async () => Date.now(),
      (t) => t > startsAt,
      30_000,
      'the meeting to start',
    );

    const met = await c.handle.executeUpdate(defs.recordCheckInOutcomeUpdate, { args: [{ actor: mentee, checkIn: 1, outcome: 'held' }] });
    expect(met.steps.find((s) => s.id === 'check-in-1')).toMatchObject({ state: 'completed', phase: 'held' });
    const ended = await performCycleAction(stack.client, { workflowId: c.workflowId, coordinatorId: 'coordinator-1', policy: stack.policy }, 'end', {
      reason: 'graduation',
      confirm: 'yes',
    });
    expect(ended).toEqual({ ok: true });

    // The projection the dashboard reads is written...
    const row = await stack.db
      .selectFrom('cycles')
      .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
      .select(['cycles.status', 'pairs.status as pairStatus'])
      .where('cycles.id', '=', c.cycleId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'ended', pairStatus: 'ended' });
    // ...and not one message has been sent: the relay has held every connection.
    expect(relay.connections).toBeGreaterThan(0);
    expect(stack.mail.messages).toEqual([]);
    const sent = await stack.db
      .selectFrom('outbox')
      .select('id')
      .where(
        'cycle_id',
        'in',
        cohort.map((p) => p.cycleId),
      )
      .where('status', '=', 'sent')
      .execute();
    expect(sent).toEqual([]);

    // Released, everything arrives, each message once: the pair's end to both, and the invite's CANCEL.
    relay.release();
    const endedMail = (to: string) => stack.mail.to(to).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'pair-ended');
    await stack.mail.waitFor(() => endedMail(c.mentorEmail).length > 0 && endedMail(c.menteeEmail).length > 0, 90_000);
    expect((await c.handle.result()).status).toBe('ended');
    const kinds = (await stack.db.selectFrom('outbox').select(['kind', 'to_address', 'sequence', 'status']).where('cycle_id', '=', c.cycleId).execute()).map(
      (r) => `${r.kind} ${r.sequence} ${r.to_address} ${r.status}`,
    );
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.filter((k) => k.startsWith('pair-ended'))).toEqual(
      expect.arrayContaining([`pair-ended 0 ${c.mentorEmail} sent`, `pair-ended 0 ${c.menteeEmail} sent`]),
    );
    expect(endedMail(c.mentorEmail)).toHaveLength(1);
    for (const other of cohort.slice(1)) await other.handle.terminate('test over');
  });
});
