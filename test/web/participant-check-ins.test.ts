/**
 * Check-ins from emailed links, on the real stack with a year where a policy day passes each
 * second: move the proposed meeting, cancel it, book again, say it was missed, book a new time
 * (typed in the person's own zone), and a late "we met" refused with the workflow's reason.
 */
import { describe, expect, it } from 'vitest';
import { wallClock } from '../../src/domain/zoned-time.ts';
import { momentIn } from '../../src/web/participant/pages.ts';
import { enrollTestPair, eventually, view, type EnrolledCycle } from '../support/cycle.ts';
import { EXPECTATIONS, fieldValue, linkFromMail, postForm, shortYearPolicy } from './support/participant-web.ts';
import { useWebStack } from './support/web-stack.ts';

const ZONE = 'Asia/Tokyo';

function offeredSlots(page: string): string[] {
  return [...page.matchAll(/<input type="radio" id="[^"]+" name="slot" value="([^"]+)"/g)].map((m) => m[1]!).filter((v) => v !== 'other');
}

describe('participant pages: check-ins', () => {
  // Check-in 1's window runs to day 330 (5.5 minutes): a booking typed minutes ahead falls inside it.
  const policy = shortYearPolicy();
  policy.stages.checkIns[0] = { opensAtDay: 2, dueAtDay: 330 };
  const env = useWebStack({ policy });

  async function agreeExpectations(c: EnrolledCycle): Promise<void> {
    const share = await postForm(env.web, await linkFromMail(env.stack, c.mentorEmail, 'share-expectations'), { ...EXPECTATIONS, meeting_cadence_days: '7' });
    expect(share.statusCode).toBe(200);
    const ack = await postForm(env.web, await linkFromMail(env.stack, c.menteeEmail, 'respond-expectations'), { response: 'acknowledge' });
    expect(ack.statusCode).toBe(200);
  }

  const checkIn1 = async (c: EnrolledCycle) => (await view(c)).steps.find((s) => s.id === 'check-in-1')!;

  it('moves, cancels, books, records a missed meeting and books a new time, all from links', async () => {
    const c = await enrollTestPair(env.stack, { timeZone: ZONE });
    await agreeExpectations(c);

    // The window opens with a meeting proposed at the agreed cadence; the mentor moves it to another offered time.
    const mentorOpen = await linkFromMail(env.stack, c.mentorEmail, 'schedule-check-in', { step: 'check-in-1', kind: 'check-in-window-open' });
    const proposed = (await checkIn1(c)).meeting!;
    const page = await env.web.inject({ method: 'GET', url: mentorOpen });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(momentIn(proposed.startsAt, ZONE));
    expect(page.body).toContain('GMT+9');
    // The page states the window the workflow holds bookings to, in the reader's zone.
    expect(page.body).toContain(
      `Check-in 1&#39;s window runs from ${momentIn((await checkIn1(c)).opensAt, ZONE)} to ${momentIn((await checkIn1(c)).dueAt, ZONE)}; a booking must fall inside it.`,
    );
    const slots = offeredSlots(page.body);
    expect(slots.length).toBeGreaterThan(0);
    expect(slots).not.toContain(proposed.startsAt);
    const moved = await postForm(env.web, mentorOpen, { intent: 'schedule', slot: slots[0]! });
    expect(moved.statusCode).toBe(200);
    expect(moved.body).toContain(momentIn(slots[0]!, ZONE));
    expect((await checkIn1(c)).meeting).toMatchObject({ startsAt: slots[0], revision: 2 });

    // The mentee cancels from their own link; the page offers a fresh link to pick a new time.
    const menteeOpen = await linkFromMail(env.stack, c.menteeEmail, 'schedule-check-in', { step: 'check-in-1', kind: 'check-in-window-open' });
    const cancelled = await postForm(env.web, menteeOpen, { intent: 'cancel' });
    expect(cancelled.statusCode).toBe(200);
    expect(await checkIn1(c)).toMatchObject({ phase: 'awaiting-schedule', meeting: null });
    await env.stack.mail.waitFor((all) => all.some((m) => m.parsed.headers.get('x-tandem-kind') === 'check-in-cancel'), 15_000);
    const spent = await env.web.inject({ method: 'GET', url: menteeOpen });
    expect(spent.statusCode).toBe(409);
    expect(spent.body).toContain('You cancelled this meeting on');

    const fresh = `/a/${/<a class="button" href="([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)">Pick a new time<\/a>/.exec(cancelled.body)![1]!}`;
    const freshPage = await env.web.inject({ method: 'GET', url: fresh });
    expect(offeredSlots(freshPage.body).length).toBeGreaterThan(0);

    // The cancel email asks both to pick a new time and carries each their own link to do it; the mentor's books it.
    for (const to of [c.mentorEmail, c.menteeEmail]) {
      const mail = env.stack.mail.to(to).find((m) => m.parsed.headers.get('x-tandem-kind') === 'check-in-cancel')!;
      expect(mail.parsed.text).toContain('please pick a new time that works for you both');
    }
    const fromCancelMail = await linkFromMail(env.stack, c.mentorEmail, 'schedule-check-in', { step: 'check-in-1', kind: 'check-in-cancel' });
    expect(
      (
        await env.web.inject({
          method: 'GET',
          url: await linkFromMail(env.stack, c.menteeEmail, 'schedule-check-in', { step: 'check-in-1', kind: 'check-in-cancel' }),
        })
      ).statusCode,
    ).toBe(200);
    const reschedule = await env.web.inject({ method: 'GET', url: fromCancelMail });
    expect(reschedule.statusCode).toBe(200);
    const first = offeredSlots(reschedule.body)[0]!;
    expect((await postForm(env.web, fromCancelMail, { intent: 'schedule', slot: first })).statusCode).toBe(200);
    expect((await checkIn1(c)).meeting?.startsAt).toBe(first);

    // After the meeting both are asked; the mentee says it did not happen.
    const menteeOutcome = await linkFromMail(env.stack, c.menteeEmail, 'check-in-outcome', { step: 'check-in-1' });
    const ask = await env.web.inject({ method: 'GET', url: menteeOutcome });
    expect(ask.body).toContain('name="outcome" value="held"');
    const missed = await postForm(env.web, menteeOutcome, { outcome: 'missed' });
    expect(missed.statusCode).toBe(200);
    expect((await checkIn1(c)).phase).toBe('missed');

    // The mentor books a new time typed in their own zone; a time that is not one is refused, and kept.
    const rebook = await linkFromMail(env.stack, c.mentorEmail, 'schedule-check-in', { step: 'check-in-1', kind: 'check-in-missed' });
    const bad = await postForm(env.web, rebook, { intent: 'schedule', slot: 'other', other_start: 'next Tuesday' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#field-other_start">Enter the date and time as YYYY-MM-DDTHH:MM');
    expect(fieldValue(bad.body, 'other_start')).toBe('next Tuesday');
    const at = wallClock(Date.now() + 3 * 60_000, ZONE);
    const pad = (n: number) => String(n).padStart(2, '0');
    const typed = `${at.year}-${pad(at.month)}-${pad(at.day)}T${pad(at.hour)}:${pad(at.minute)}`;
    const booked = await postForm(env.web, rebook, { intent: 'schedule', slot: 'other', other_start: typed });
    expect(booked.statusCode).toBe(200);
    const step = await checkIn1(c);
    expect(step).toMatchObject({ state: 'completed' });
    expect(wallClock(Date.parse(step.meeting!.startsAt), ZONE)).toMatchObject({ hour: at.hour, minute: at.minute, day: at.day });

    // The mentor's own "did you meet?" link now comes too late: the workflow's reason is shown, and the page says the check-in is closed.
    const late = await postForm(env.web, await linkFromMail(env.stack, c.mentorEmail, 'check-in-outcome', { step: 'check-in-1' }), { outcome: 'held' });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('Check-in 1 is already finished.');
    expect(late.body).not.toContain('The check-in 1');
    expect(late.body).toContain('This check-in is already closed; there is nothing to record.');
    expect(late.body).not.toContain('name="outcome" value="held"');
    await eventually(
      () => view(c),
      (v) => v.steps.find((s) => s.id === 'check-in-1')!.state === 'completed',
      5_000,
    );
    await c.handle.terminate('test over');
  });
});
