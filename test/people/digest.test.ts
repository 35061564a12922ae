/**
 * Digests on the real stack: a mentor of three chooses a weekly digest on "My mentoring"
 * (in a real browser); the three before-due reminders and the overdue reminders to them are
 * held and arrive as ONE message (one outbox row keyed by person and period), while the
 * ladder still fires on its dates — the coordinators are told when the steps stall, the
 * mentees still get their own reminders. A digest for a person with one pair is refused.
 *
 * The policy compresses a day into four seconds, so a "week" is 28 seconds: the digest
 * period opens with the first held reminder and closes 28 seconds later.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/cycle.ts';
import { testPolicy } from '../support/stack.ts';
import { postForm } from '../web/support/participant-web.ts';
import { enrollMentorWithMentees, expectAccessible, newPage, personalLinkFrom, usePeopleWeb } from './support.ts';

const DAY_MS = 4_000;
const policy = testPolicy({
  timeCompression: 86_400_000 / DAY_MS,
  stages: {
    expectations: { opensAtDay: 0, dueAtDay: 6 },
    checkIns: [
      { opensAtDay: 60, dueAtDay: 90 },
      { opensAtDay: 90, dueAtDay: 120 },
      { opensAtDay: 120, dueAtDay: 150 },
      { opensAtDay: 150, dueAtDay: 180 },
    ],
    trainingGoalsWithCheckIn: 1,
    feedback: { opensAtDay: 200, dueAtDay: 230 },
    evaluationAtDay: 240,
  },
  remindBeforeDueDays: [3],
  ladder: [
    { rung: 'remind-owner', afterDays: 1 },
    { rung: 'remind-both', afterDays: 2 },
    { rung: 'notify-coordinator', afterDays: 3 },
    { rung: 'refer-resource', afterDays: 4 },
  ],
});

const REMINDERS = ['reminder-before-due', 'ladder-remind-owner', 'ladder-remind-both'];

describe('participant digests', () => {
  const env = usePeopleWeb(policy);

  it('a mentor who chose a weekly digest gets one digest instead of each reminder, and the ladder still fires on its dates', async () => {
    const { mentorEmail, menteeEmails, cycles } = await enrollMentorWithMentees(env.stack, 'dig', 3);
    const mine = await personalLinkFrom(env.stack, mentorEmail);
    const page = await newPage(env.browser);
    await page.goto(`${env.origin}${mine}`);
    await page.getByRole('radio', { name: 'A weekly digest' }).check();
    await page.getByRole('radio', { name: 'A weekly digest' }).press('Enter');
    await page.waitForLoadState();
    expect(await page.getByRole('status').textContent()).toContain('Reminders now come in one weekly digest.');
    await expectAccessible(page, 'My mentoring with the digest choice');
    await page.context().close();

    // A mentee has one pair: a digest is refused, and nothing is saved.
    const menteePage = await personalLinkFrom(env.stack, menteeEmails[0]!);
    const refused = await postForm(env.web, menteePage, { form: 'reminders', reminder_delivery: 'weekly' }, { origin: env.origin, 'sec-fetch-site': 'same-origin' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('A digest is for people with more than one pair');
    const mentee = await env.stack.db.selectFrom('people').select('id').where('email', '=', menteeEmails[0]!).executeTakeFirstOrThrow();
    expect(await env.stack.db.selectFrom('person_settings').selectAll().where('person_id', '=', mentee.id).execute()).toEqual([]);

    // The ladder runs to its last rung on its dates: the coordinators are told of each stalled step.
    const coordinator = policy.department.coordinators[0]!.email;
    await env.stack.mail.waitFor(() => env.stack.mail.to(coordinator).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'ladder-coordinator-stalled').length === 3, 120_000);
    const digests = () => env.stack.mail.to(mentorEmail).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'digest');
    await env.stack.mail.waitFor(() => digests().length > 0, 120_000);

    // To the mentor: no reminder on its own, one digest with the three before-due reminders in it.
    expect(env.stack.mail.to(mentorEmail).filter((m) => REMINDERS.includes(m.parsed.headers.get('x-tandem-kind') as string))).toEqual([]);
    expect(digests()).toHaveLength(1);
    const digest = digests()[0]!;
    expect(digest.parsed.subject).toMatch(/^Your weekly mentoring digest: \d+ reminders$/);
    for (const i of [1, 2, 3]) expect(digest.parsed.text).toContain(`with Student ${i} dig`);
    expect(digest.parsed.text!.match(/^• Due /gm)).toHaveLength(3);
    expect(digest.parsed.text).toContain('Share your expectations: http');
    // The sent mark may trail the relay's acceptance by a moment: wait for it, then there is one row.
    const rows = await eventually(
      () => env.stack.db.selectFrom('outbox').select(['step', 'kind', 'status']).where('kind', '=', 'digest').where('to_address', '=', mentorEmail).execute(),
      (r) => r.some((x) => x.status === 'sent'),
      30_000,
      'the digest row marked sent',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'digest', status: 'sent' });
    expect(rows[0]!.step).toMatch(/^digest:weekly:/);

    // The mentees (one pair each) still get their own reminders when the step waits on both.
    for (const to of menteeEmails) expect(env.stack.mail.to(to).some((m) => m.parsed.headers.get('x-tandem-kind') === 'ladder-remind-both')).toBe(true);
    // Each rung fired no earlier than its date: due + afterDays.
    for (const c of cycles) {
      const opened = await env.stack.db.selectFrom('cycle_events').select(['detail']).where('cycle_id', '=', c.cycleId).where('kind', '=', 'step-opened').where('step', '=', 'expectations').executeTakeFirstOrThrow();
      const due = Date.parse(String(opened.detail.dueAt));
      const rungs = await env.stack.db.selectFrom('cycle_events').select(['occurred_at', 'detail']).where('cycle_id', '=', c.cycleId).where('kind', '=', 'ladder-rung').orderBy('occurred_at').execute();
      expect(rungs.map((r) => r.detail.rung)).toEqual(['remind-owner', 'remind-both', 'notify-coordinator', 'refer-resource'].slice(0, rungs.length));
      expect(rungs.length).toBeGreaterThanOrEqual(3);
      rungs.forEach((r, i) => expect(r.occurred_at.getTime()).toBeGreaterThanOrEqual(due + policy.ladder[i]!.afterDays * DAY_MS));
    }
  });
});
