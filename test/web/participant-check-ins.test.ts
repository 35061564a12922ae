/**
 * Check-ins from emailed links, on the real stack with a year where a policy day passes each
 * second: move the proposed meeting, cancel it, book again, say it was missed, book a new time
 * (typed in the person's own zone), and a late "we met" refused with the workflow's reason.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wallClock } from '../../src/domain/zoned-time.ts';
import { momentIn } from '../../src/web/participant/pages.ts';
import { enrollTestPair, eventually, view, type EnrolledCycle } from '../support/cycle.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { EXPECTATIONS, fieldValue, linkFromMail, participantWeb, postForm, shortYearPolicy } from './support/participant-web.ts';

const ZONE = 'Asia/Tokyo';

function offeredSlots(page: string): string[] {
  return [...page.matchAll(/<input type="radio" id="[^"]+" name="slot" value="([^"]+)"/g)].map((m) => m[1]!).filter((v) => v !== 'other');
}

describe('participant pages: check-ins', () => {
  let stack: TestStack;
  let web: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    stack = await startTestStack({ policy: shortYearPolicy() });
    ({ web, close } = await participantWeb(stack));
  });
  afterAll(async () => {
    await close?.();
    await stack?.close();
  });

  async function agreeExpectations(c: EnrolledCycle): Promise<void> {
    const share = await postForm(web, await linkFromMail(stack, c.mentorEmail, 'share-expectations'), { ...EXPECTATIONS, meeting_cadence_days: '7' });
    expect(share.statusCode).toBe(200);
    const ack = await postForm(web, await linkFromMail(stack, c.menteeEmail, 'respond-expectations'), { response: 'acknowledge' });
    expect(ack.statusCode).toBe(200);
  }

  const checkIn1 = async (c: EnrolledCycle) => (await view(c)).steps.find((s) => s.id === 'check-in-1')!;

  it('moves, cancels, books, records a missed meeting and books a new time, all from links', async () => {
    const c = await enrollTestPair(stack, { timeZone: ZONE });
    await agreeExpectations(c);

    // The window opens with a meeting proposed at the agreed cadence; the mentor moves it to another offered time.
    const mentorOpen = await linkFromMail(stack, c.mentorEmail, 'schedule-check-in', { step: 'check-in-1', kind: 'check-in-window-open' });
    const proposed = (await checkIn1(c)).meeting!;
    const page = await web.inject({ method: 'GET', url: mentorOpen });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(momentIn(proposed.startsAt, ZONE));
    expect(page.body).toContain('GMT+9');
    const slots = offeredSlots(page.body);
    expect(slots.length).toBeGreaterThan(0);
    expect(slots).not.toContain(proposed.startsAt);
    const moved = await postForm(web, mentorOpen, { intent: 'schedule', slot: slots[0]! });
    expect(moved.statusCode).toBe(200);
    expect(moved.body).toContain(momentIn(slots[0]!, ZONE));
    expect((await checkIn1(c)).meeting).toMatchObject({ startsAt: slots[0], revision: 2 });

    // The mentee cancels from their own link; the page offers a fresh link to pick a new time.
    const menteeOpen = await linkFromMail(stack, c.menteeEmail, 'schedule-check-in', { step: 'check-in-1', kind: 'check-in-window-open' });
    const cancelled = await postForm(web, menteeOpen, { intent: 'cancel' });
    expect(cancelled.statusCode).toBe(200);
    expect(await checkIn1(c)).toMatchObject({ phase: 'awaiting-schedule', meeting: null });
    await stack.mail.waitFor((all) => all.some((m) => m.parsed.headers.get('x-tandem-kind') === 'check-in-cancel'), 15_000);
    const spent = await web.inject({ method: 'GET', url: menteeOpen });
    expect(spent.statusCode).toBe(409);
    expect(spent.body).toContain('You cancelled this meeting on');

    const fresh = `/a/${/<a class="button" href="([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)">Pick a new time<\/a>/.exec(cancelled.body)![1]!}`;
    const freshPage = await web.inject({ method: 'GET', url: fresh });
    const first = offeredSlots(freshPage.body)[0]!;
    expect((await postForm(web, fresh, { intent: 'schedule', slot: first })).statusCode).toBe(200);
    expect((await checkIn1(c)).meeting?.startsAt).toBe(first);

    // After the meeting both are asked; the mentee says it did not happen.
    const menteeOutcome = await linkFromMail(stack, c.menteeEmail, 'check-in-outcome', { step: 'check-in-1' });
    const ask = await web.inject({ method: 'GET', url: menteeOutcome });
    expect(ask.body).toContain('name="outcome" value="held"');
    const missed = await postForm(web, menteeOutcome, { outcome: 'missed' });
    expect(missed.statusCode).toBe(200);
    expect((await checkIn1(c)).phase).toBe('missed');

    // The mentor books a new time typed in their own zone; a time that is not one is refused, and kept.
    const rebook = await linkFromMail(stack, c.mentorEmail, 'schedule-check-in', { step: 'check-in-1', kind: 'check-in-missed' });
    const bad = await postForm(web, rebook, { intent: 'schedule', slot: 'other', other_start: 'next Tuesday' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#field-other_start">Enter the date and time as YYYY-MM-DDTHH:MM');
    expect(fieldValue(bad.body, 'other_start')).toBe('next Tuesday');
    const at = wallClock(Date.now() + 3 * 60_000, ZONE);
    const pad = (n: number) => String(n).padStart(2, '0');
    const typed = `${at.year}-${pad(at.month)}-${pad(at.day)}T${pad(at.hour)}:${pad(at.minute)}`;
    const booked = await postForm(web, rebook, { intent: 'schedule', slot: 'other', other_start: typed });
    expect(booked.statusCode).toBe(200);
    const step = await checkIn1(c);
    expect(step).toMatchObject({ state: 'completed' });
    expect(wallClock(Date.parse(step.meeting!.startsAt), ZONE)).toMatchObject({ hour: at.hour, minute: at.minute, day: at.day });

    // The mentor's own "did you meet?" link now comes too late: the workflow's reason is shown, and the page says the check-in is closed.
    const late = await postForm(web, await linkFromMail(stack, c.mentorEmail, 'check-in-outcome', { step: 'check-in-1' }), { outcome: 'held' });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('The check-in 1 is already finished.');
    expect(late.body).toContain('This check-in is already closed; there is nothing to record.');
    expect(late.body).not.toContain('name="outcome" value="held"');
    await eventually(() => view(c), (v) => v.steps.find((s) => s.id === 'check-in-1')!.state === 'completed', 5_000);
    await c.handle.terminate('test over');
  });
});
