/**
 * Expectations from emailed links, on the real stack: the mentor shares them from the link in
 * "please share your expectations", the mentee reads them and questions or acknowledges them
 * from the link in the next email. Every link comes out of a message the SMTP sink received.
 */
import { describe, expect, it } from 'vitest';
import { enrollTestPair, eventually, view } from '../support/cycle.ts';
import { EXPECTATIONS, fieldValue, linkFromMail, postForm } from './support/participant-web.ts';
import { useWebStack } from './support/web-stack.ts';

describe('participant pages: expectations', () => {
  const env = useWebStack();

  it('lets the mentor share expectations from the emailed link, once', async () => {
    const c = await enrollTestPair(env.stack);
    const link = await linkFromMail(env.stack, c.mentorEmail, 'share-expectations', { step: 'expectations' });

    const page = await env.web.inject({ method: 'GET', url: link });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<label for="field-response_time_norms">');
    expect(fieldValue(page.body, 'meeting_cadence_days')).toBe(String(env.stack.policy.meetings.defaultCadenceDays));

    // Missing fields: every one named, what was typed kept, nothing saved or sent.
    const invalid = await postForm(env.web, link, { ...EXPECTATIONS, work_life_boundaries: ' ', meeting_local_time: '25:00' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('href="#field-work_life_boundaries">Enter your work-life boundaries.</a>');
    expect(invalid.body).toContain('href="#field-meeting_local_time">Enter the usual meeting time as HH:MM');
    expect(fieldValue(invalid.body, 'response_time_norms')).toBe(EXPECTATIONS.response_time_norms);
    expect(await env.stack.db.selectFrom('expectations').select('id').where('cycle_id', '=', c.cycleId).execute()).toEqual([]);

    const done = await postForm(env.web, link, EXPECTATIONS);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Your expectations are shared with');
    const row = await env.stack.db.selectFrom('expectations').selectAll().where('cycle_id', '=', c.cycleId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      version: 1,
      meeting_cadence_days: 14,
      meeting_format: 'video',
      meeting_local_time: '10:30',
      work_life_boundaries: EXPECTATIONS.work_life_boundaries,
    });
    expect((await view(c)).steps.find((s) => s.id === 'expectations')).toMatchObject({ phase: 'shared', owedBy: 'mentee' });

    // The link is spent: a second click says what happened, and changes nothing.
    const again = await postForm(env.web, link, { ...EXPECTATIONS, work_life_boundaries: 'changed' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('You shared your expectations with');
    expect((await env.web.inject({ method: 'GET', url: link })).statusCode).toBe(409);
    expect(await env.stack.db.selectFrom('expectations').select('id').where('cycle_id', '=', c.cycleId).execute()).toHaveLength(1);

    // The mentee's email carries their link to respond.
    await linkFromMail(env.stack, c.menteeEmail, 'respond-expectations');
    await eventually(
      () => view(c),
      (v) => v.steps[0]!.phase === 'shared',
      5_000,
    );
    await c.handle.terminate('test over');
  });

  it('lets the mentee question them, the mentor revise them, and the mentee acknowledge the new version', async () => {
    const c = await enrollTestPair(env.stack);
    expect((await postForm(env.web, await linkFromMail(env.stack, c.mentorEmail, 'share-expectations'), EXPECTATIONS)).statusCode).toBe(200);

    const respond = await linkFromMail(env.stack, c.menteeEmail, 'respond-expectations', { kind: 'expectations-shared' });
    const page = await env.web.inject({ method: 'GET', url: respond });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(EXPECTATIONS.leave_contingencies);
    // Reading them does not use the link up.
    expect((await env.web.inject({ method: 'GET', url: respond })).statusCode).toBe(200);

    const empty = await postForm(env.web, respond, { response: 'question', message: '  ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('href="#field-message">Enter your questions.</a>');
    const question = 'Could we meet <b>weekly</b> until my qualifying exam?';
    expect((await postForm(env.web, respond, { response: 'question', message: question })).statusCode).toBe(200);
    expect(await env.stack.db.selectFrom('expectation_responses').select(['kind', 'message']).where('author_person_id', '=', c.menteeId).execute()).toEqual([
      { kind: 'questioned', message: question },
    ]);
    expect((await view(c)).steps[0]).toMatchObject({ phase: 'questioned', owedBy: 'mentor' });

    // The mentor's "questions" email opens the same page with the question and the last version filled in.
    const revise = await linkFromMail(env.stack, c.mentorEmail, 'share-expectations', { kind: 'expectations-questioned' });
    const revisePage = await env.web.inject({ method: 'GET', url: revise });
    expect(revisePage.body).toContain('Could we meet &lt;b&gt;weekly&lt;/b&gt; until my qualifying exam?');
    expect(fieldValue(revisePage.body, 'work_life_boundaries')).toBe(EXPECTATIONS.work_life_boundaries);
    expect((await postForm(env.web, revise, { ...EXPECTATIONS, meeting_cadence_days: '7' })).statusCode).toBe(200);
    const versions = await env.stack.db
      .selectFrom('expectations')
      .select(['version', 'meeting_cadence_days'])
      .where('cycle_id', '=', c.cycleId)
      .orderBy('version')
      .execute();
    expect(versions).toEqual([
      { version: 1, meeting_cadence_days: 14 },
      { version: 2, meeting_cadence_days: 7 },
    ]);

    const again = await linkFromMail(env.stack, c.menteeEmail, 'respond-expectations', { kind: 'expectations-shared', count: 2 });
    expect((await env.web.inject({ method: 'GET', url: again })).body).toContain('Every week');
    const ack = await postForm(env.web, again, { response: 'acknowledge' });
    expect(ack.statusCode).toBe(200);
    expect(ack.body).toContain('you acknowledged');
    expect((await view(c)).steps[0]).toMatchObject({ state: 'completed' });
    await env.stack.mail.waitFor((all) =>
      all.some((m) => m.parsed.headers.get('x-tandem-kind') === 'expectations-acknowledged' && m.envelopeTo.includes(c.mentorEmail)),
    );

    // Both of the mentee's links are spent, and say what they did.
    expect((await env.web.inject({ method: 'GET', url: respond })).body).toContain('You sent questions about these expectations on');
    const reused = await postForm(env.web, again, { response: 'acknowledge' });
    expect(reused.statusCode).toBe(409);
    expect(reused.body).toContain('You already acknowledged these expectations on');
    expect(reused.body).toContain(EXPECTATIONS.work_life_boundaries);
    await c.handle.terminate('test over');
  });
});
