/**
 * The training-goal re-visit from emailed links: the mentee updates training and career
 * goals, the mentor reviews them; a stale link afterwards shows the workflow's reason and
 * keeps what was typed; a mentor cannot use the mentee's page.
 */
import { describe, expect, it } from 'vitest';
import { issueActionToken } from '../../src/security/action-tokens.ts';
import { enrollTestPair, view } from '../support/cycle.ts';
import { TEST_SECRET } from '../support/stack.ts';
import { fieldValue, linkFromMail, postForm, shortYearPolicy } from './support/participant-web.ts';
import { useWebStack } from './support/web-stack.ts';

const GOALS = {
  training_goals: 'Learn single-cell RNA-seq analysis; pass the qualifying exam in spring.',
  career_goals: 'A postdoc in systems biology, or a data-science role in biotech.',
  support_needed: 'Introductions to two labs for a rotation; feedback on my fellowship draft.',
};

describe('participant pages: training and career goals', () => {
  const env = useWebStack({ policy: shortYearPolicy() });

  it('lets the mentee update the goals and the mentor review them', async () => {
    const c = await enrollTestPair(env.stack);
    // Too early: the step opens two seconds after enrolment. The workflow's reason is shown, nothing is
    // kept, and the same link works once the step is open (a refused Update is not remembered by its id).
    const early = `/a/${issueActionToken(TEST_SECRET, { sub: c.menteeId, cyc: c.cycleId, act: 'update-goals', stp: 'training-goals' }, { ttlSeconds: 3600 })}`;
    const tooEarly = await postForm(env.web, early, GOALS);
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.body).toMatch(/The training-goal re-visit has not started yet; it opens on \d{4}-\d{2}-\d{2}\./);
    expect(fieldValue(tooEarly.body, 'career_goals')).toBe(GOALS.career_goals);
    expect(await env.stack.db.selectFrom('training_goals').select('id').where('cycle_id', '=', c.cycleId).execute()).toEqual([]);

    const update = await linkFromMail(env.stack, c.menteeEmail, 'update-goals', { step: 'training-goals' });
    const onTime = await postForm(env.web, early, { ...GOALS, support_needed: '' });
    expect(onTime.statusCode).toBe(200);
    expect(await env.stack.db.selectFrom('training_goals').select('support_needed').where('cycle_id', '=', c.cycleId).execute()).toEqual([
      { support_needed: null },
    ]);
    expect((await env.web.inject({ method: 'GET', url: update })).body).toContain('<label for="field-career_goals">');

    // A mentor holding the mentee's kind of link (signed for them) is turned away.
    const asMentor = `/a/${issueActionToken(TEST_SECRET, { sub: c.mentorId, cyc: c.cycleId, act: 'update-goals', stp: 'training-goals' }, { ttlSeconds: 3600 })}`;
    const forbidden = await env.web.inject({ method: 'GET', url: asMentor });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.body).toContain('Only the mentee of the pair can use this page.');

    const missing = await postForm(env.web, update, { ...GOALS, career_goals: '' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('href="#field-career_goals">Enter your career goals.</a>');
    expect(fieldValue(missing.body, 'training_goals')).toBe(GOALS.training_goals);

    // The emailed link sends a second version; the mentor reviews the newest.
    expect((await postForm(env.web, update, GOALS)).statusCode).toBe(200);
    expect((await view(c)).steps.find((s) => s.id === 'training-goals')).toMatchObject({ phase: 'awaiting-review', owedBy: 'mentor' });

    const review = await linkFromMail(env.stack, c.mentorEmail, 'review-goals', { step: 'training-goals' });
    const reviewPage = await env.web.inject({ method: 'GET', url: review });
    expect(reviewPage.body).toContain(GOALS.support_needed);
    const done = await postForm(env.web, review, { mentor_review: 'Good plan; let us talk about the fellowship at our next check-in.' });
    expect(done.statusCode).toBe(200);
    const row = await env.stack.db
      .selectFrom('training_goals')
      .selectAll()
      .where('cycle_id', '=', c.cycleId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ career_goals: GOALS.career_goals, mentor_review: 'Good plan; let us talk about the fellowship at our next check-in.' });
    expect(row.reviewed_at).toBeInstanceOf(Date);
    expect((await view(c)).steps.find((s) => s.id === 'training-goals')).toMatchObject({ state: 'completed' });

    // A second, unused update link now meets a finished step: the workflow's reason, the text kept, nothing saved.
    const late = `/a/${issueActionToken(TEST_SECRET, { sub: c.menteeId, cyc: c.cycleId, act: 'update-goals', stp: 'training-goals' }, { ttlSeconds: 3600 })}`;
    const lateForm = await env.web.inject({ method: 'GET', url: late });
    expect(lateForm.body).toContain('comments on your last version');
    const refused = await postForm(env.web, late, { ...GOALS, career_goals: 'Something new I typed' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('The training-goal re-visit is already finished.');
    expect(fieldValue(refused.body, 'career_goals')).toBe('Something new I typed');
    expect(await env.stack.db.selectFrom('training_goals').select('id').where('cycle_id', '=', c.cycleId).execute()).toHaveLength(2);
    // A refused action does not use the link up.
    expect((await env.web.inject({ method: 'GET', url: late })).statusCode).toBe(200);
    await c.handle.terminate('test over');
  });
});
