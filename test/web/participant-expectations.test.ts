/**
 * Expectations from emailed links, on the real stack: the mentor shares them from the link in
 * "please share your expectations", the mentee reads them and questions or acknowledges them
 * from the link in the next email. Every link comes out of a message the SMTP sink received.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTestPair, eventually, view } from '../support/cycle.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { fieldValue, linkFromMail, participantWeb, postForm } from './support/participant-web.ts';

export const EXPECTATIONS = {
  meeting_cadence_days: '14',
  meeting_format: 'video',
  meeting_location: 'https://video.example.edu/room/ada',
  meeting_local_time: '10:30',
  response_time_norms: 'Within two working days; same day for anything urgent.',
  work_life_boundaries: 'No email expected in the evening or at weekends.',
  leave_contingencies: 'Dr. Lee covers while I am away; we keep the meeting by video.',
  other_expectations: '',
};

describe('participant pages: expectations', () => {
  let stack: TestStack;
  let web: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    stack = await startTestStack();
    ({ web, close } = await participantWeb(stack));
  });
  afterAll(async () => {
    await close?.();
    await stack?.close();
  });

  it('lets the mentor share expectations from the emailed link, once', async () => {
    const c = await enrollTestPair(stack);
    const link = await linkFromMail(stack, c.mentorEmail, 'share-expectations', { step: 'expectations' });

    const page = await web.inject({ method: 'GET', url: link });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<label for="field-response_time_norms">');
    expect(fieldValue(page.body, 'meeting_cadence_days')).toBe(String(stack.policy.meetings.defaultCadenceDays));

    // Missing fields: every one named, what was typed kept, nothing saved or sent.
    const invalid = await postForm(web, link, { ...EXPECTATIONS, work_life_boundaries: ' ', meeting_local_time: '25:00' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('href="#field-work_life_boundaries">Enter your work-life boundaries.</a>');
    expect(invalid.body).toContain('href="#field-meeting_local_time">Enter the usual meeting time as HH:MM');
    expect(fieldValue(invalid.body, 'response_time_norms')).toBe(EXPECTATIONS.response_time_norms);
    expect(await stack.db.selectFrom('expectations').select('id').where('cycle_id', '=', c.cycleId).execute()).toEqual([]);

    const done = await postForm(web, link, EXPECTATIONS);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Your expectations are shared with');
    const row = await stack.db.selectFrom('expectations').selectAll().where('cycle_id', '=', c.cycleId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version: 1, meeting_cadence_days: 14, meeting_format: 'video', meeting_local_time: '10:30', work_life_boundaries: EXPECTATIONS.work_life_boundaries });
    expect((await view(c)).steps.find((s) => s.id === 'expectations')).toMatchObject({ phase: 'shared', owedBy: 'mentee' });

    // The link is spent: a second click says what happened, and changes nothing.
    const again = await postForm(web, link, { ...EXPECTATIONS, work_life_boundaries: 'changed' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('You shared your expectations with');
    expect((await web.inject({ method: 'GET', url: link })).statusCode).toBe(409);
    expect(await stack.db.selectFrom('expectations').select('id').where('cycle_id', '=', c.cycleId).execute()).toHaveLength(1);

    // The mentee's email carries their link to respond.
    await linkFromMail(stack, c.menteeEmail, 'respond-expectations');
    await eventually(() => view(c), (v) => v.steps[0]!.phase === 'shared', 5_000);
    await c.handle.terminate('test over');
  });
});
