/**
 * A mentor with three mentees announces a sabbatical with a contingency contact from "My
 * mentoring" in a real browser: every cycle pauses until the sabbatical ends, each mentee and
 * the coordinator are told, the coordinator's dashboard shows "away until" with the contact,
 * and the mentor, back early, ends it and every cycle runs again. Bad dates, overlaps, a
 * missing contact, another person's time away: a clear page, nothing changed. A time away
 * that starts later pauses on its first day through a durable Temporal timer.
 */
import { describe, expect, it } from 'vitest';
import { cycleViewQuery } from '../../src/workflows/definitions.ts';
import { timeAwayWorkflowId } from '../../src/people/time-away.ts';
import { enrollTestPair, eventually } from '../support/cycle.ts';
import { makeStaff } from '../web/dashboard-support.ts';
import { postForm, shortYearPolicy } from '../web/support/participant-web.ts';
import {
  coordinatorSession,
  enrollMentorWithMentees,
  expectAccessible,
  expectFitsPhone,
  localDay,
  newPage,
  personalLinkFrom,
  usePeopleWeb,
} from './support.ts';

const ZONE = 'America/New_York';

describe('My mentoring: time away', () => {
  const env = usePeopleWeb(shortYearPolicy());
  const viewOf = (workflowId: string) => env.stack.client.workflow.getHandle(workflowId).query(cycleViewQuery);

  it('a mentor of three announces a sabbatical: every cycle pauses, everyone is told, the dashboard shows it, and ending early resumes them', async () => {
    const { mentorEmail, menteeEmails, cycles } = await enrollMentorWithMentees(env.stack, 'sabb', 3);
    const coordinator = await makeStaff(env.stack, ['coordinator']);
    const mine = await personalLinkFrom(env.stack, mentorEmail);
    const page = await newPage(env.browser);
    await page.goto(`${env.origin}${mine}`);
    for (const i of [1, 2, 3]) expect(await page.textContent('main')).toContain(`Your mentee Student ${i} sabb`);
    await expectAccessible(page, 'My mentoring of a mentor with three mentees');
    await expectFitsPhone(env.browser, `${env.origin}${mine}`);

    const lastDay = localDay(ZONE, 120);
    await page.getByRole('radio', { name: 'Sabbatical' }).check();
    await page.getByLabel('First day away').fill(localDay(ZONE));
    await page.getByLabel('Last day away').fill(lastDay);
    await page.getByRole('radio', { name: 'Pause our steps' }).check();
    await page.getByLabel('Their name').fill('Dr. Lee Contingent');
    await page.getByLabel('Their email address').fill('lee@example.edu');
    await page.getByLabel('What they cover').fill('lab questions and urgent signatures');
    await page.getByRole('button', { name: 'Announce' }).press('Enter');
    await page.waitForLoadState();
    expect(await page.getByRole('status').textContent()).toContain('Your time away is announced');
    expect(await page.textContent('main')).toContain("I'm back: end it now");
    await expectAccessible(page, 'My mentoring after announcing');

    // Every cycle paused for the sabbatical, until the span's end.
    const away = await env.stack.db.selectFrom('time_away').selectAll().where('contingency_email', '=', 'lee@example.edu').executeTakeFirstOrThrow();
    for (const c of cycles) {
      const v = await viewOf(c.workflowId);
      expect(v.status).toBe('paused');
      expect(v.paused).toMatchObject({ reason: 'sabbatical', until: away.ends_at.toISOString() });
    }
    // Each mentee, and the department's staff coordinator, is told once, with the contact.
    for (const to of [...menteeEmails, coordinator.email]) {
      await env.stack.mail.waitFor(() => env.stack.mail.to(to).some((m) => m.parsed.headers.get('x-tandem-kind') === 'time-away-announced'), 30_000);
      const told = env.stack.mail.to(to).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'time-away-announced');
      expect(told).toHaveLength(1);
      expect(told[0]!.parsed.text).toContain('Dr. Lee Contingent (lee@example.edu) covers: lab questions and urgent signatures');
    }

    // The coordinator's dashboard: "away until" and the contact, on each of the three pairs.
    const dashboard = await newPage(env.browser);
    await dashboard.context().addCookies([{ name: 'tandem_staff', value: await coordinatorSession(env, coordinator.email), url: env.origin }]);
    await dashboard.goto(`${env.origin}/dashboard?mentor=${encodeURIComponent(mentorEmail)}`);
    const notes = await dashboard.locator('.away-note').allTextContents();
    expect(notes).toHaveLength(3);
    const shown = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: env.stack.policy.defaultTimeZone }).format(
      new Date(away.ends_at.getTime() - 1),
    );
    for (const n of notes) expect(n).toBe(`Mentor away until ${shown}; contact Dr. Lee Contingent (lee@example.edu) for lab questions and urgent signatures`);
    await expectAccessible(dashboard, 'the coordinator dashboard');

    // Overlapping dates are refused, and nothing new is saved.
    const overlap = await postForm(
      env.web,
      mine,
      {
        form: 'away',
        kind: 'travel',
        first_day: localDay(ZONE, 10),
        last_day: localDay(ZONE, 12),
        pause: 'inform',
        contingency_name: 'A',
        contingency_email: 'a@example.edu',
        contingency_covers: 'all',
      },
      { origin: env.origin, 'sec-fetch-site': 'same-origin' },
    );
    expect(overlap.statusCode).toBe(409);
    expect(overlap.body).toContain('These dates overlap time away you already announced');
    expect(await env.stack.db.selectFrom('time_away').select('id').where('person_id', '=', away.person_id).execute()).toHaveLength(1);

    // Back early: the cycles run again and the mentees hear of it.
    await page.getByRole('button', { name: "I'm back: end it now" }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').textContent()).toContain('Welcome back');
    for (const c of cycles) expect((await viewOf(c.workflowId)).status).not.toBe('paused');
    for (const to of menteeEmails)
      await env.stack.mail.waitFor(() => env.stack.mail.to(to).some((m) => m.parsed.headers.get('x-tandem-kind') === 'time-away-ended'), 30_000);
    await page.context().close();
    await dashboard.context().close();
  });

  it('refuses bad time away with a clear page and changes nothing', async () => {
    const c = await enrollTestPair(env.stack);
    const mentorPage = await personalLinkFrom(env.stack, c.mentorEmail);
    const menteePage = await personalLinkFrom(env.stack, c.menteeEmail);
    const same = { origin: env.origin, 'sec-fetch-site': 'same-origin' };
    const contact = { contingency_name: 'Dr. Cover', contingency_email: 'cover@example.edu', contingency_covers: 'everything' };
    const cases: [string, Record<string, string>, string][] = [
      [
        mentorPage,
        { kind: 'leave', first_day: localDay(ZONE, 5), last_day: localDay(ZONE, 2), pause: 'pause', ...contact },
        'Your last day away is before your first day away.',
      ],
      [
        mentorPage,
        { kind: 'leave', first_day: localDay(ZONE, 1), last_day: localDay(ZONE, 500), pause: 'pause', ...contact },
        'Time away can be announced for at most 380 days at a time',
      ],
      [
        mentorPage,
        { kind: 'leave', first_day: localDay(ZONE, 1), last_day: localDay(ZONE, 3), pause: 'pause' },
        'Enter who to contact while you are away (required for a mentor).',
      ],
      [
        mentorPage,
        { kind: 'holiday', first_day: localDay(ZONE, 1), last_day: localDay(ZONE, 3), pause: 'pause', ...contact },
        'Choose what kind of time away this is.',
      ],
      [mentorPage, { kind: 'leave', first_day: '2026-02-30', last_day: localDay(ZONE, 3), pause: 'pause', ...contact }, 'Enter your first day away as a date'],
      [
        menteePage,
        { kind: 'travel', first_day: localDay(ZONE, -3), last_day: localDay(ZONE, 3), pause: 'inform' },
        'Your first day away cannot be in the past.',
      ],
    ];
    for (const [link, fields, message] of cases) {
      const response = await postForm(env.web, link, { form: 'away', ...fields }, same);
      expect(response.statusCode, JSON.stringify(fields)).toBe(422);
      expect(response.body).toContain(message);
    }
    // A mentee's contact is optional; someone else's time away cannot be ended with this link.
    expect(
      (await postForm(env.web, menteePage, { form: 'away', kind: 'travel', first_day: localDay(ZONE, 3), last_day: localDay(ZONE, 4), pause: 'inform' }, same))
        .statusCode,
    ).toBe(200);
    const theirs = await env.stack.db.selectFrom('time_away').select('id').where('person_id', '=', c.menteeId).executeTakeFirstOrThrow();
    const notMine = await postForm(env.web, mentorPage, { form: 'end-away', away_id: theirs.id }, same);
    expect(notMine.statusCode).toBe(404);
    expect((await env.stack.db.selectFrom('time_away').select('status').where('id', '=', theirs.id).executeTakeFirstOrThrow()).status).toBe('scheduled');
    const crossSite = await postForm(
      env.web,
      menteePage,
      { form: 'end-away', away_id: theirs.id },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.statusCode).toBe(403);
    expect(await env.stack.db.selectFrom('time_away').select('id').where('person_id', '=', c.mentorId).execute()).toEqual([]);
  });

  it('a time away that starts later pauses on its first day through a durable timer, and can be cancelled before', async () => {
    const c = await enrollTestPair(env.stack);
    const menteePage = await personalLinkFrom(env.stack, c.menteeEmail);
    const same = { origin: env.origin, 'sec-fetch-site': 'same-origin' };
    expect(
      (
        await postForm(
          env.web,
          menteePage,
          { form: 'away', kind: 'fieldwork', first_day: localDay(ZONE, 2), last_day: localDay(ZONE, 9), pause: 'pause' },
          same,
        )
      ).statusCode,
    ).toBe(200);
    const away = await env.stack.db.selectFrom('time_away').selectAll().where('person_id', '=', c.menteeId).executeTakeFirstOrThrow();
    const timer = env.stack.client.workflow.getHandle(timeAwayWorkflowId(away.id));
    expect((await timer.describe()).status.name).toBe('RUNNING');
    expect((await c.handle.query(cycleViewQuery)).status).not.toBe('paused');
    // Cancelled before it starts: the timer is cancelled, the cycle never pauses.
    expect((await postForm(env.web, menteePage, { form: 'end-away', away_id: away.id }, same)).statusCode).toBe(200);
    await eventually(
      async () => (await timer.describe()).status.name,
      (s) => s === 'CANCELLED',
      30_000,
      'the timer to be cancelled',
    );

    // The same timer, due now: it pauses the cycle until the span's end.
    const soon = await env.stack.db
      .insertInto('time_away')
      .values({
        person_id: c.menteeId,
        kind: 'fieldwork',
        starts_at: new Date(Date.now() + 1000),
        ends_at: new Date(Date.now() + 5 * 86_400_000),
        pause_steps: true,
      })
      .returning(['id', 'ends_at'])
      .executeTakeFirstOrThrow();
    await env.stack.client.workflow.start('timeAwayStart', {
      workflowId: timeAwayWorkflowId(soon.id),
      taskQueue: env.stack.taskQueue,
      args: [{ timeAwayId: soon.id, startsAt: new Date(Date.now() + 1000).toISOString() }],
    });
    const paused = await eventually(
      () => c.handle.query(cycleViewQuery),
      (v) => v.status === 'paused',
      30_000,
      'the cycle to pause',
    );
    expect(paused.paused).toMatchObject({ reason: 'travel', until: soon.ends_at.toISOString() });
    expect((await env.stack.db.selectFrom('time_away').select('status').where('id', '=', soon.id).executeTakeFirstOrThrow()).status).toBe('active');
  });
});
