/**
 * Life events, coordinator actions and failures, on the real Temporal dev server with a
 * compressed policy (a policy week each second: expectations are due 3 s after enrolment,
 * and the ladder's rungs follow at +0.43 s, +1 s, +2 s and +3 s).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as defs from '../../src/workflows/definitions.ts';
import { enrollTestPair, eventually, outboxKinds, timeline, view } from '../support/cycle.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';

const coordinator = { role: 'coordinator' as const, coordinatorId: 'coordinator-1' };

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as Error).message;
}

describe('life events and coordinator actions', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ policy: testPolicy({ timeCompression: 604_800 }) });
  });
  afterAll(() => stack?.close());

  const share = (c: Awaited<ReturnType<typeof enrollTestPair>>) =>
    c.handle.executeUpdate(defs.shareExpectationsUpdate, {
      args: [
        { actor: { role: 'mentor', personId: c.mentorId }, expectationsId: 'exp', meetingCadenceDays: 7, meetingLocalTime: '10:00', meetingFormat: 'video' },
      ],
    });

  it.concurrent('rejects actions that do not fit the cycle, with a reason a page can show, and changes nothing', async () => {
    const c = await enrollTestPair(stack);
    const mentee = { role: 'mentee' as const, personId: c.menteeId };
    expect(await rejection(c.handle.executeUpdate(defs.acknowledgeExpectationsUpdate, { args: [{ actor: mentee }] }))).toBe(
      'There are no shared expectations waiting for your answer yet.',
    );
    expect(
      await rejection(
        c.handle.executeUpdate(defs.shareExpectationsUpdate, {
          args: [{ actor: mentee, expectationsId: 'x', meetingCadenceDays: 7, meetingLocalTime: '10:00', meetingFormat: 'video' }],
        }),
      ),
    ).toBe('Only the mentor can share expectations.');
    expect(await rejection(c.handle.executeUpdate(defs.updateTrainingGoalsUpdate, { args: [{ actor: mentee, goalsId: 'g' }] }))).toMatch(
      /^The training-goal re-visit has not started yet; it opens on \d{4}-\d{2}-\d{2}\.$/,
    );
    expect(await rejection(c.handle.executeUpdate(defs.endPairUpdate, { args: [{ actor: coordinator, reason: 'vacation' as never }] }))).toBe(
      'The reason must be graduation, lab-change, withdrawn or other.',
    );
    const v = await view(c);
    expect(v.steps.find((s) => s.id === 'expectations')).toMatchObject({ state: 'open', phase: 'awaiting-share' });
    // The projection is written by an activity, so on a busy machine it may trail the Updates: wait for its first two rows.
    const written = await eventually(
      () => timeline(stack, c.cycleId),
      (rows) => rows.length >= 2,
      60_000,
      'the opening projection',
    );
    expect(written.map((e) => e.kind)).toEqual(['cycle-started', 'step-opened']);
    await c.handle.terminate('test over');
  });

  it.concurrent('pauses the clock for leave and shifts every deadline by the pause on resume', async () => {
    const c = await enrollTestPair(stack);
    const before = await view(c);
    const contingency = '00000000-0000-4000-8000-000000000001';
    await c.handle.executeUpdate(defs.pauseCycleUpdate, { args: [{ actor: coordinator, reason: 'sabbatical', contingencyContactId: contingency }] });
    // Past the expectations deadline (3 s) and two rungs of the ladder: nothing may fire while paused.
    await sleep(4_500);
    expect((await timeline(stack, c.cycleId)).filter((e) => e.kind === 'ladder-rung' || (e.kind === 'step-opened' && e.step !== 'expectations'))).toEqual([]);
    expect(await stack.db.selectFrom('cycles').select('status').where('id', '=', c.cycleId).executeTakeFirstOrThrow()).toEqual({ status: 'paused' });
    const after = await c.handle.executeUpdate(defs.resumeCycleUpdate, { args: [{ actor: coordinator }] });

    const events = await timeline(stack, c.cycleId);
    expect(events.find((e) => e.kind === 'cycle-paused')?.detail).toMatchObject({ reason: 'sabbatical', contingencyContactId: contingency });
    const pausedFor = Number(events.find((e) => e.kind === 'cycle-resumed')!.detail.pausedForMs);
    expect(pausedFor).toBeGreaterThanOrEqual(4_500);
    for (const id of ['expectations', 'check-in-1', 'feedback']) {
      const was = Date.parse(before.steps.find((s) => s.id === id)!.dueAt);
      const now = Date.parse(after.steps.find((s) => s.id === id)!.dueAt);
      expect(now - was, id).toBe(pausedFor);
    }
    // The mail follows the Updates through the outbox (an Update returns once the projection is written).
    const lifeMail = (rows: Awaited<ReturnType<typeof outboxKinds>>) => rows.filter((m) => m.kind === 'cycle-paused' || m.kind === 'cycle-resumed');
    const sent = await eventually(
      () => outboxKinds(stack, c.cycleId),
      (rows) => lifeMail(rows).length >= 4,
      30_000,
      'the pause and resume mail',
    );
    expect(
      sent
        .filter((m) => m.kind === 'cycle-paused' || m.kind === 'cycle-resumed')
        .map((m) => `${m.kind}→${m.to_address}`)
        .sort(),
    ).toEqual([`cycle-paused→${c.mentorEmail}`, `cycle-paused→${c.menteeEmail}`, `cycle-resumed→${c.mentorEmail}`, `cycle-resumed→${c.menteeEmail}`].sort());
    await c.handle.terminate('test over');
  });

  it.concurrent('ends a pair early: cancels its scheduled check-in, records the reason, and stops', async () => {
    const c = await enrollTestPair(stack);
    // A 70-day cadence: check-in 1's meeting is proposed for about day 70, seconds ahead, so it is still to come when the pair ends.
    await c.handle.executeUpdate(defs.shareExpectationsUpdate, {
      args: [
        { actor: { role: 'mentor', personId: c.mentorId }, expectationsId: 'exp', meetingCadenceDays: 70, meetingLocalTime: '10:00', meetingFormat: 'video' },
      ],
    });
    await c.handle.executeUpdate(defs.acknowledgeExpectationsUpdate, { args: [{ actor: { role: 'mentee', personId: c.menteeId } }] });
    // Check-in 1 opens at 3 s with a slot proposed from the weekly cadence, and its invite.
    await eventually(
      () => view(c),
      (v) => v.steps.find((s) => s.id === 'check-in-1')?.phase === 'scheduled',
      30_000,
      'check-in 1 to be scheduled',
    );
    // Its invite reaches both first (mail follows the Update; a change superseded before delivery is not sent).
    const invited = (to: string) => stack.mail.messages.some((m) => m.envelopeTo.includes(to) && m.parsed.headers.get('x-tandem-kind') === 'check-in-invite');
    await stack.mail.waitFor(() => invited(c.mentorEmail) && invited(c.menteeEmail), 30_000);
    await c.handle.executeUpdate(defs.endPairUpdate, { args: [{ actor: coordinator, reason: 'graduation' }] });
    const result = await c.handle.result();
    expect(result.status).toBe('ended');
    expect(result.endedReason).toBe('graduation');
    expect(result.steps.filter((s) => s.state === 'planned' || s.state === 'open')).toEqual([]);
    const sent = await outboxKinds(stack, c.cycleId);
    expect(sent.filter((m) => m.step === 'check-in-1' && (m.kind === 'check-in-invite' || m.kind === 'check-in-cancel')).map((m) => m.kind)).toEqual([
      'check-in-invite',
      'check-in-invite',
      'check-in-cancel',
      'check-in-cancel',
    ]);
    expect(sent.filter((m) => m.kind === 'pair-ended')).toHaveLength(2);
    // The pair has ended: the cancel says so and asks for no new time.
    for (const to of [c.mentorEmail, c.menteeEmail]) {
      const isCancel = (m: (typeof stack.mail.messages)[number]) => m.envelopeTo.includes(to) && m.parsed.headers.get('x-tandem-kind') === 'check-in-cancel';
      await stack.mail.waitFor((all) => all.some(isCancel));
      const cancel = stack.mail.messages.find(isCancel);
      expect(cancel!.parsed.text).toContain('as the mentoring pair has ended');
      expect(cancel!.parsed.text).not.toContain('Pick a new time');
    }
    const pair = await stack.db.selectFrom('pairs').select(['status', 'ended_reason']).where('id', '=', c.pairId).executeTakeFirstOrThrow();
    expect(pair).toEqual({ status: 'ended', ended_reason: 'graduation' });
    expect((await stack.db.selectFrom('cycles').select('status').where('id', '=', c.cycleId).executeTakeFirstOrThrow()).status).toBe('ended');
  });

  it.concurrent('lets a coordinator snooze a stalled step, nudge its owner, and resolve it', async () => {
    // Rung 2 (coordinator notified, cycle stalled) comes at due + 14 days = 5 s and the referral
    // one second later. A machine too slow to snooze within that second cannot show the snooze
    // holding the referral back, so the scenario starts again with a new pair (at most 3 times).
    const referredBefore = async (cycleId: string, at: Date) =>
      (
        await stack.db.selectFrom('cycle_events').select(['detail', 'occurred_at']).where('cycle_id', '=', cycleId).where('kind', '=', 'ladder-rung').execute()
      ).some((e) => e.detail.rung === 'refer-resource' && e.occurred_at < at);
    const snoozedPair = async (): Promise<{ c: Awaited<ReturnType<typeof enrollTestPair>>; snoozeUntil: Date }> => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const c = await enrollTestPair(stack);
        await eventually(
          () => stack.db.selectFrom('cycles').selectAll().where('id', '=', c.cycleId).executeTakeFirstOrThrow(),
          (r) => r.status === 'stalled',
          30_000,
          'a stall',
        );
        const snoozeUntil = new Date(Date.now() + 3_000);
        await c.handle.executeUpdate(defs.snoozeEscalationUpdate, { args: [{ actor: coordinator, step: 'expectations', until: snoozeUntil.toISOString() }] });
        // A referral recorded before the snooze was applied came too early to be held back.
        if (!(await referredBefore(c.cycleId, new Date()))) return { c, snoozeUntil };
        await c.handle.terminate('too slow to snooze before the referral; trying again');
      }
      throw new Error('three times the referral came before the snooze could be sent: the machine is too slow for this scenario');
    };
    const { c, snoozeUntil } = await snoozedPair();
    // The referral (due + 21 days = 6 s) would have come during the snooze; it waits for its end.
    const referred = await eventually(
      () => timeline(stack, c.cycleId),
      (events) => events.some((e) => e.kind === 'ladder-rung' && e.detail.rung === 'refer-resource'),
      30_000,
      'the referral rung',
    );
    const referral = await stack.db
      .selectFrom('cycle_events')
      .select('occurred_at')
      .where('cycle_id', '=', c.cycleId)
      .where('kind', '=', 'ladder-rung')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(referral.occurred_at.getTime()).toBeGreaterThanOrEqual(snoozeUntil.getTime());
    expect(referred.filter((e) => e.kind === 'ladder-rung')).toHaveLength(4);

    await c.handle.executeUpdate(defs.nudgeUpdate, { args: [{ actor: coordinator, step: 'expectations' }] });
    const afterResolve = await c.handle.executeUpdate(defs.resolveStepUpdate, { args: [{ actor: coordinator, step: 'expectations' }] });
    expect(afterResolve.steps[0]).toMatchObject({ id: 'expectations', state: 'resolved' });
    const sent = await outboxKinds(stack, c.cycleId);
    expect(sent.filter((m) => m.kind === 'nudge').map((m) => m.to_address)).toEqual([c.mentorEmail]);
    const row = await stack.db.selectFrom('cycles').selectAll().where('id', '=', c.cycleId).executeTakeFirstOrThrow();
    expect(row.status).not.toBe('stalled');
    expect(await rejection(c.handle.executeUpdate(defs.nudgeUpdate, { args: [{ actor: coordinator, step: 'expectations' }] }))).toBe(
      'The step "expectations" is already finished.',
    );
    await c.handle.terminate('test over');
  });

  it.concurrent('addresses later messages by a preferred name changed mid-cycle', async () => {
    const c = await enrollTestPair(stack, { menteePreferredName: 'Sam' });
    await stack.db.updateTable('people').set({ preferred_name: 'Samira', pronouns: 'she/her' }).where('id', '=', c.menteeId).execute();
    await c.handle.executeUpdate(defs.profileChangedUpdate, { args: [{ actor: coordinator, personId: c.menteeId }] });
    await share(c);
    await stack.mail.waitFor((m) => m.some((x) => x.envelopeTo.includes(c.menteeEmail) && x.parsed.headers.get('x-tandem-kind') === 'expectations-shared'));
    const message = stack.mail.to(c.menteeEmail).find((m) => m.parsed.headers.get('x-tandem-kind') === 'expectations-shared')!;
    expect(message.parsed.text).toContain('Dear Samira,');
    expect((await timeline(stack, c.cycleId)).some((e) => e.kind === 'profile-changed' && e.detail.personId === c.menteeId)).toBe(true);
    await c.handle.terminate('test over');
  });

  it('loses no rung and repeats none when the worker is down while they come due', async () => {
    const c = await enrollTestPair(stack);
    await eventually(
      () => timeline(stack, c.cycleId),
      (e) => e.some((x) => x.kind === 'step-opened'),
      10_000,
      'the first step',
    );
    await stack.stopWorker();
    // Every rung of the expectations ladder comes due while nobody is polling.
    await sleep(6_500);
    await stack.startWorker();
    const events = await eventually(
      () => timeline(stack, c.cycleId),
      (e) => e.filter((x) => x.kind === 'ladder-rung' && x.step === 'expectations').length === 4,
      30_000,
      'all four rungs',
    );
    expect(events.filter((e) => e.kind === 'ladder-rung' && e.step === 'expectations').map((e) => e.detail.rung)).toEqual([
      'remind-owner',
      'remind-both',
      'notify-coordinator',
      'refer-resource',
    ]);
    // The timeline is written before the messages are sent: wait for the sends to finish.
    const isLadder = (m: { step: string | null; kind: string }) => m.step === 'expectations' && m.kind.startsWith('ladder-');
    const sent = await eventually(
      () => outboxKinds(stack, c.cycleId),
      (rows) => rows.filter(isLadder).length >= 5,
      30_000,
      'the ladder messages',
    );
    await sleep(1_000);
    const ladder = (await outboxKinds(stack, c.cycleId)).filter(isLadder);
    expect(sent.filter(isLadder)).toHaveLength(5);
    expect(ladder).toHaveLength(5); // owner (mentor), both (2), coordinator, resource
    expect(new Set(ladder.map((m) => `${m.kind}/${m.to_address}`)).size).toBe(5);
    // What reached the pair's own inboxes through SMTP: each rung's message exactly once.
    const toPair = [...stack.mail.to(c.mentorEmail), ...stack.mail.to(c.menteeEmail)]
      .map((m) => `${m.parsed.headers.get('x-tandem-kind')}→${m.envelopeTo.join()}`)
      .filter((k) => k.startsWith('ladder-'))
      .sort();
    expect(toPair).toEqual([`ladder-remind-both→${c.mentorEmail}`, `ladder-remind-both→${c.menteeEmail}`, `ladder-remind-owner→${c.mentorEmail}`].sort());
    await c.handle.terminate('test over');
  });
});
