/**
 * A check-in's calendar state over a compressed year, on the real stack: every invite is
 * caught by the SMTP sink and read with ical.js and node-ical (test/support/calendar.ts),
 * and the feed is read the same way. A policy week passes each second.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCalendarFeed } from '../../src/mail/calendar-feed.ts';
import * as defs from '../../src/workflows/definitions.ts';
import { checkInUid, invitesTo, readCalendar, waitForInvites } from '../support/calendar.ts';
import { enrollTestPair, eventually, timeline, view, type EnrolledCycle } from '../support/cycle.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';

const WEEK_EACH_SECOND = 604_800;
const DAY_MS = 86_400_000 / WEEK_EACH_SECOND;

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((error as WorkflowUpdateFailedError).cause as Error).message;
}

/** Agrees a 70-day cadence: check-in 1 (open from day 21) is proposed for about day 70, seconds ahead, so no step of a test races it. */
async function agree(c: EnrolledCycle): Promise<void> {
  await c.handle.executeUpdate(defs.shareExpectationsUpdate, {
    args: [
      { actor: { role: 'mentor', personId: c.mentorId }, expectationsId: 'exp', meetingCadenceDays: 70, meetingLocalTime: '10:00', meetingFormat: 'video' },
    ],
  });
  await c.handle.executeUpdate(defs.acknowledgeExpectationsUpdate, { args: [{ actor: { role: 'mentee', personId: c.menteeId } }] });
}

const checkIn = async (c: EnrolledCycle, n: number) => (await view(c)).steps.find((s) => s.id === `check-in-${n}`)!;

async function feedOf(stack: TestStack, personId: string) {
  const text = (await renderCalendarFeed(stack.db, personId, { departmentName: 'Department of Biology' }))!;
  expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  return readCalendar(text);
}

describe('a check-in keeps one calendar state', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ policy: testPolicy({ timeCompression: WEEK_EACH_SECOND }) });
  });
  afterAll(() => stack?.close());

  it.concurrent('cancel then book again: a REQUEST with the same UID and a higher SEQUENCE, and the feed shows it', async () => {
    const c = await enrollTestPair(stack);
    const mentee = { role: 'mentee' as const, personId: c.menteeId };
    await agree(c);
    // Check-in 1 opens at 3 s with a proposed meeting (REQUEST, SEQUENCE 0).
    await eventually(
      () => checkIn(c, 1),
      (s) => s.phase === 'scheduled',
      30_000,
      'check-in 1 to be proposed',
    );
    await c.handle.executeUpdate(defs.cancelCheckInUpdate, { args: [{ actor: mentee, checkIn: 1 }] });
    expect(await checkIn(c, 1)).toMatchObject({ phase: 'awaiting-schedule', meeting: null });
    const uid = checkInUid(c.cycleId, 'check-in-1');
    // Both get the CANCEL (with its "pick a new time" link) before anyone books again. (A change
    // superseded before it is delivered is not sent: the newer one carries the state.)
    await waitForInvites(stack.mail, () => [c.mentorEmail, c.menteeEmail].every((a) => invitesTo(stack.mail, a, uid).some((e) => e.method === 'CANCEL')));

    const window = await checkIn(c, 1);
    // Whole seconds: iCalendar times have no fractions.
    const startsAt = Math.ceil(Math.max(Date.now() + 2 * DAY_MS, Date.parse(window.opensAt)) / 1000) * 1000;
    const rebooked = await c.handle.executeUpdate(defs.scheduleCheckInUpdate, {
      args: [{ actor: mentee, checkIn: 1, startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + DAY_MS / 24).toISOString() }],
    });
    expect(rebooked.steps.find((s) => s.id === 'check-in-1')).toMatchObject({ phase: 'scheduled' });

    // The feed agrees as soon as the Update answers: the projection records the calendar state.
    const feed = (await feedOf(stack, c.menteeId)).filter((e) => e.uid === uid);
    expect(feed).toEqual([
      {
        method: null,
        uid,
        sequence: 2,
        status: 'CONFIRMED',
        start: new Date(startsAt).toISOString(),
        end: new Date(Math.floor((startsAt + DAY_MS / 24) / 1000) * 1000).toISOString(),
      },
    ]);

    await waitForInvites(stack.mail, () => invitesTo(stack.mail, c.mentorEmail, uid).length >= 3 && invitesTo(stack.mail, c.menteeEmail, uid).length >= 3);
    for (const address of [c.mentorEmail, c.menteeEmail]) {
      const read = invitesTo(stack.mail, address, uid);
      expect(read.map((e) => `${e.method} ${e.sequence} ${e.status}`)).toEqual(['REQUEST 0 CONFIRMED', 'CANCEL 1 CANCELLED', 'REQUEST 2 CONFIRMED']);
      expect(read[2]!.start).toBe(new Date(startsAt).toISOString());
    }
    await c.handle.terminate('test over');
  });

  it.concurrent('refuses a booking outside its window, naming the window, and changes nothing', async () => {
    const c = await enrollTestPair(stack);
    const mentor = { role: 'mentor' as const, personId: c.mentorId };
    await agree(c);
    const before = await eventually(
      () => checkIn(c, 1),
      (s) => s.phase === 'scheduled',
      30_000,
      'check-in 1 to be proposed',
    );
    const late = Date.parse(before.dueAt) + 30 * DAY_MS;
    const reason = await rejection(
      c.handle.executeUpdate(defs.scheduleCheckInUpdate, {
        args: [{ actor: mentor, checkIn: 1, startsAt: new Date(late).toISOString(), endsAt: new Date(late + DAY_MS / 24).toISOString() }],
      }),
    );
    expect(reason).toMatch(/^Check-in 1 can only be booked inside its window, from .+ to .+\. Please choose a time in it\.$/);
    // The bounds are the window's own, written in the pair's zone.
    const bound = (ms: number) =>
      new Date(ms).toLocaleString('en-US', {
        timeZone: 'America/New_York',
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        timeZoneName: 'short',
      });
    expect(reason).toContain(`from ${bound(Date.parse(before.opensAt))} to ${bound(Date.parse(before.dueAt))}`);
    expect((await checkIn(c, 1)).meeting).toEqual(before.meeting);
    expect(invitesTo(stack.mail, c.mentorEmail, checkInUid(c.cycleId, 'check-in-1')).every((e) => e.sequence === 0)).toBe(true);
    await c.handle.terminate('test over');
  });

  it.concurrent('time away withdraws the meetings inside it (CANCEL) and proposes them again on return (REQUEST, same UID)', async () => {
    const c = await enrollTestPair(stack);
    const coordinator = { role: 'coordinator' as const, coordinatorId: 'coordinator-1' };
    await agree(c);
    const booked = await eventually(
      () => checkIn(c, 1),
      (s) => s.phase === 'scheduled',
      30_000,
      'check-in 1 to be proposed',
    );
    const until = new Date(Date.parse(booked.meeting!.startsAt) + 7 * DAY_MS).toISOString();
    const paused = await c.handle.executeUpdate(defs.pauseCycleUpdate, { args: [{ actor: coordinator, reason: 'leave', until }] });
    expect(paused.steps.find((s) => s.id === 'check-in-1')).toMatchObject({ phase: 'awaiting-schedule', meeting: null });
    const uid = checkInUid(c.cycleId, 'check-in-1');
    expect((await feedOf(stack, c.menteeId)).filter((e) => e.uid === uid)).toEqual([]);
    await waitForInvites(stack.mail, () => [c.mentorEmail, c.menteeEmail].every((a) => invitesTo(stack.mail, a, uid).some((e) => e.method === 'CANCEL')));

    const resumed = await c.handle.executeUpdate(defs.resumeCycleUpdate, { args: [{ actor: coordinator }] });
    const again = resumed.steps.find((s) => s.id === 'check-in-1')!;
    expect(again).toMatchObject({ phase: 'scheduled' });
    const wholeSecond = (iso: string) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();
    expect((await feedOf(stack, c.menteeId)).filter((e) => e.uid === uid).map((e) => [e.sequence, e.start])).toEqual([
      [2, wholeSecond(again.meeting!.startsAt)],
    ]);

    await waitForInvites(stack.mail, () => invitesTo(stack.mail, c.mentorEmail, uid).length >= 3 && invitesTo(stack.mail, c.menteeEmail, uid).length >= 3);
    for (const address of [c.mentorEmail, c.menteeEmail]) {
      expect(invitesTo(stack.mail, address, uid).map((e) => `${e.method} ${e.sequence}`)).toEqual(['REQUEST 0', 'CANCEL 1', 'REQUEST 2']);
    }
    const cancel = stack.mail.to(c.menteeEmail).find((m) => m.parsed.headers.get('x-tandem-kind') === 'check-in-cancel')!;
    expect(cancel.parsed.text).toContain('as it falls in time away from the mentoring cycle');
    await c.handle.terminate('test over');
  });
});

describe('a year that ends with a meeting booked after it', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // A short year (60 days, about 8.6 s) whose first check-in's window runs past it — as a
    // booking made before windows were enforced, or a shortened late-join year, can leave it.
    const policy = testPolicy({ timeCompression: WEEK_EACH_SECOND });
    policy.yearLengthDays = 60;
    policy.stages.checkIns[0] = { opensAtDay: 21, dueAtDay: 150 };
    stack = await startTestStack({ policy });
  });
  afterAll(() => stack?.close());

  it('sends both a CANCEL with the same UID and a higher SEQUENCE, and the feed drops it', { timeout: 60_000 }, async () => {
    const c = await enrollTestPair(stack);
    await agree(c);
    const proposed = await eventually(
      () => checkIn(c, 1),
      (s) => s.phase === 'scheduled',
      30_000,
      'check-in 1 to be proposed',
    );
    const enrolled = Date.parse((await view(c)).steps.find((s) => s.id === 'expectations')!.opensAt);
    const startsAt = Math.ceil((enrolled + 100 * DAY_MS) / 1000) * 1000; // past the year's end at day 60, inside the window; whole seconds as in iCalendar
    await c.handle.executeUpdate(defs.scheduleCheckInUpdate, {
      args: [
        {
          actor: { role: 'mentor', personId: c.mentorId },
          checkIn: 1,
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(startsAt + DAY_MS / 24).toISOString(),
        },
      ],
    });
    expect(proposed.meeting).not.toBeNull();
    const uid = checkInUid(c.cycleId, 'check-in-1');

    await eventually(
      () => timeline(stack, c.cycleId),
      (rows) => rows.some((e) => e.kind === 'year-ended'),
      40_000,
      'the year to end',
    );
    await waitForInvites(stack.mail, () => invitesTo(stack.mail, c.mentorEmail, uid).length >= 3 && invitesTo(stack.mail, c.menteeEmail, uid).length >= 3);
    for (const address of [c.mentorEmail, c.menteeEmail]) {
      const read = invitesTo(stack.mail, address, uid);
      expect(read.map((e) => `${e.method} ${e.sequence} ${e.status}`)).toEqual(['REQUEST 0 CONFIRMED', 'REQUEST 1 CONFIRMED', 'CANCEL 2 CANCELLED']);
      expect(read[2]!.start).toBe(new Date(startsAt).toISOString());
    }
    const cancel = stack.mail.to(c.menteeEmail).find((m) => m.parsed.headers.get('x-tandem-kind') === 'check-in-cancel')!;
    expect(cancel.parsed.text).toContain('as this mentoring year has closed');
    expect((await feedOf(stack, c.menteeId)).filter((e) => e.uid === uid)).toEqual([]);
    await c.handle.terminate('test over');
  });
});
