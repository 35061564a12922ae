/**
 * Two-way feedback from emailed links on the real stack, and what a mentor can reach:
 * every participant action link of theirs and a staff session of theirs, probed for any
 * mentee's individual answer.
 */
import { describe, expect, it } from 'vitest';
import { ACTIONS, issueActionToken } from '../../src/security/action-tokens.ts';
import { enrollTestPair, eventually, view } from '../support/cycle.ts';
import { TEST_SECRET } from '../support/stack.ts';
import { makeStaff } from '../web/dashboard-support.ts';
import { fieldValue, linkFromMail, postForm } from '../web/support/participant-web.ts';
import { feedbackForm, feedbackPolicy, MENTOR_ITEM_TEXTS, staffCookie } from './support.ts';
import { useWebStack } from '../web/support/web-stack.ts';

describe('two-way feedback pages', () => {
  const env = useWebStack({ policy: feedbackPolicy() });

  it('takes both sides’ feedback sealed, releases it when both are in, and never shows the mentor a mentee’s ratings', { timeout: 120_000 }, async () => {
    const c = await enrollTestPair(env.stack);
    const menteeLink = await linkFromMail(env.stack, c.menteeEmail, 'give-feedback');
    const mentorLink = await linkFromMail(env.stack, c.mentorEmail, 'give-feedback');

    const form = await env.web.inject({ method: 'GET', url: menteeLink });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('ratings are confidential');
    expect(form.body).toContain(MENTOR_ITEM_TEXTS[0]);

    // A missing rating: named, what was typed kept, nothing stored.
    const partial = feedbackForm('mentee', '2', { whatHelped: 'MENTEE-HELPED: the weekly check-ins', couldChange: 'MENTEE-CHANGE: earlier drafts' });
    delete partial['rating.mentor-wellbeing'];
    const invalid = await postForm(env.web, menteeLink, partial);
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('href="#field-rating.mentor-wellbeing"');
    expect(fieldValue(invalid.body, 'whatHelped')).toBe('MENTEE-HELPED: the weekly check-ins');
    expect(await env.stack.db.selectFrom('feedback').select('id').where('cycle_id', '=', c.cycleId).execute()).toEqual([]);

    const menteeDone = await postForm(
      env.web,
      menteeLink,
      feedbackForm('mentee', '2', { whatHelped: 'MENTEE-HELPED: the weekly check-ins', couldChange: 'MENTEE-CHANGE: earlier drafts' }),
    );
    expect(menteeDone.statusCode).toBe(200);
    const row = await env.stack.db.selectFrom('feedback').selectAll().where('cycle_id', '=', c.cycleId).executeTakeFirstOrThrow();
    expect(row.content).toBeNull();
    expect(row.sealed!.toString('latin1')).not.toContain('MENTEE-HELPED');

    // Before release the mentor reads nothing of it.
    const mentorRead = `/a/${issueActionToken(TEST_SECRET, { sub: c.mentorId, cyc: c.cycleId, act: 'read-feedback' }, { ttlSeconds: 3600 })}`;
    const early = await env.web.inject({ method: 'GET', url: mentorRead });
    expect(early.statusCode).toBe(200);
    expect(early.body).toContain('Not yet');
    expect(early.body).not.toContain('MENTEE-HELPED');

    const mentorDone = await postForm(
      env.web,
      mentorLink,
      feedbackForm('mentor', '6', {
        whatHelped: 'MENTOR-WELL: your poster',
        couldChange: 'MENTOR-CHANGE: ask sooner',
        reflection: 'MENTOR-REFLECTION: I cancelled too often',
      }),
    );
    expect(mentorDone.statusCode).toBe(200);
    expect((await view(c)).steps.find((s) => s.id === 'feedback')!.state).toBe('completed');

    // Released: each reads the other's formative feedback from the emailed link.
    const mentorReleased = await linkFromMail(env.stack, c.mentorEmail, 'read-feedback');
    const menteeReleased = await linkFromMail(env.stack, c.menteeEmail, 'read-feedback');
    const mentorView = await env.web.inject({ method: 'GET', url: mentorReleased });
    expect(mentorView.body).toContain('MENTEE-HELPED: the weekly check-ins');
    expect(mentorView.body).toContain('never shown to you one by one');
    for (const text of MENTOR_ITEM_TEXTS) expect(mentorView.body).not.toContain(text);
    const menteeView = await env.web.inject({ method: 'GET', url: menteeReleased });
    expect(menteeView.body).toContain('MENTOR-WELL: your poster');
    expect(menteeView.body).toContain('6 – very');
    expect(menteeView.body).not.toContain('MENTOR-REFLECTION');

    // Both reads are in the audit log: who, when, why.
    const audit = await env.stack.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'read-feedback')
      .where('actor_id', 'in', [c.mentorId, c.menteeId])
      .execute();
    expect(audit.map((a) => a.actor_role).sort()).toEqual(['mentee', 'mentor']);
    for (const a of audit) expect(a.reason).not.toBe('');

    // Every route a mentor can reach, with their own links and their own staff session, shows no mentee rating.
    const mentorStaff = await env.stack.db.selectFrom('people').select('email').where('id', '=', c.mentorId).executeTakeFirstOrThrow();
    await makeStaff(env.stack, ['coordinator']);
    const { upsertStaff } = await import('../../src/staff/accounts.ts');
    await upsertStaff(env.stack.db, {
      departmentId: env.stack.policy.department.id,
      email: mentorStaff.email,
      name: 'Mentor as coordinator',
      roles: ['coordinator'],
    });
    const cookie = await staffCookie(env.web, env.stack, mentorStaff.email);
    const probes: { url: string; cookie?: string }[] = [];
    for (const act of ACTIONS) {
      const token = issueActionToken(TEST_SECRET, { sub: c.mentorId, cyc: c.cycleId, act }, { ttlSeconds: 3600 });
      probes.push({ url: `/a/${token}` }, { url: `/calendar/${token}.ics` });
    }
    for (const url of ['/evaluation', '/evaluation/packets?reason=curious', '/evaluation/packets.csv?reason=curious', '/dashboard', '/docs/json']) {
      probes.push({ url }, { url, cookie });
    }
    for (const probe of probes) {
      const response = await env.web.inject({ method: 'GET', url: probe.url, headers: probe.cookie ? { cookie: probe.cookie } : {} });
      for (const text of MENTOR_ITEM_TEXTS) expect(response.body, `${probe.url} ${probe.cookie ? 'with session' : ''}`).not.toContain(text);
      if (probe.url.startsWith('/evaluation')) expect(response.statusCode, probe.url).toBeOneOf(probe.cookie ? [403] : [303, 401]);
    }
    await eventually(
      () => view(c),
      (v) => v.steps.find((s) => s.id === 'feedback')!.state === 'completed',
      5_000,
    );
    await c.handle.terminate('test over');
  });

  it('releases one side’s feedback when the window closes without the other’s, and then takes no more', { timeout: 120_000 }, async () => {
    const c = await enrollTestPair(env.stack);
    const menteeLink = await linkFromMail(env.stack, c.menteeEmail, 'give-feedback');
    const mentorLink = await linkFromMail(env.stack, c.mentorEmail, 'give-feedback');
    expect((await postForm(env.web, menteeLink, feedbackForm('mentee', '3', { whatHelped: 'LONE-MENTEE-WORDS' }))).statusCode).toBe(200);

    // The window (day 250 of the compressed year) closes: released although the mentor never wrote.
    const mentorRead = await linkFromMail(env.stack, c.mentorEmail, 'read-feedback', { timeoutMs: 90_000 });
    const mentorView = await env.web.inject({ method: 'GET', url: mentorRead });
    expect(mentorView.body).toContain('LONE-MENTEE-WORDS');
    for (const text of MENTOR_ITEM_TEXTS) expect(mentorView.body).not.toContain(text);
    const menteeView = await env.web.inject({ method: 'GET', url: await linkFromMail(env.stack, c.menteeEmail, 'read-feedback') });
    expect(menteeView.body).toContain('did not give feedback this year');

    const late = await postForm(env.web, mentorLink, feedbackForm('mentor', '5', { whatHelped: 'TOO-LATE' }));
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('window for this year has closed');
    expect(fieldValue(late.body, 'whatHelped')).toBe('TOO-LATE');
    expect(await env.stack.db.selectFrom('feedback').select('author_role').where('cycle_id', '=', c.cycleId).execute()).toEqual([{ author_role: 'mentee' }]);
    await c.handle.terminate('test over');
  });
});
