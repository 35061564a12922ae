import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { cycleViewQuery } from '../../src/workflows/definitions.ts';
import { eventually } from '../support/cycle.ts';
import { EXPECTATIONS, linkFromMail, postForm, shortYearPolicy } from '../web/support/participant-web.ts';
import { enrollMentorWithMentees, localDay, personalLinkFrom, usePeopleWeb } from './support.ts';

describe('a sabbatical that pauses the steps withdraws booked check-ins', () => {
  const env = usePeopleWeb(shortYearPolicy());
  it('cancels each booked check-in inside the span with METHOD:CANCEL', async () => {
    const same = () => ({ origin: env.origin, 'sec-fetch-site': 'same-origin' });
    const { mentorEmail, menteeEmails, cycles } = await enrollMentorWithMentees(env.stack, 'trial', 3);
    for (let i = 1; i <= 3; i++) {
      expect(
        (
          await postForm(
            env.web,
            await linkFromMail(env.stack, mentorEmail, 'share-expectations', { count: i }),
            { ...EXPECTATIONS, meeting_cadence_days: '7' },
            same(),
          )
        ).statusCode,
      ).toBe(200);
    }
    for (const m of menteeEmails)
      expect((await postForm(env.web, await linkFromMail(env.stack, m, 'respond-expectations'), { response: 'acknowledge' }, same())).statusCode).toBe(200);
    for (const c of cycles) {
      const h = env.stack.client.workflow.getHandle(c.workflowId);
      const v = await eventually(
        () => h.query(cycleViewQuery),
        (x) => x.steps.find((s) => s.id === 'check-in-1')?.state === 'open',
        30_000,
        'open',
      );
      if (!v.steps.find((s) => s.id === 'check-in-1')!.meeting) {
        const link = await linkFromMail(env.stack, menteeEmails[cycles.indexOf(c)]!, 'schedule-check-in', { step: 'check-in-1' });
        const slots = [...(await env.web.inject({ method: 'GET', url: link })).body.matchAll(/name="slot" value="([^"]+)"/g)]
          .map((m) => m[1]!)
          .filter((x) => x !== 'other');
        expect((await postForm(env.web, link, { intent: 'schedule', slot: slots[0]! }, same())).statusCode).toBe(200);
      }
    }
    for (const m of menteeEmails)
      await env.stack.mail.waitFor(() => env.stack.mail.to(m).some((x) => x.parsed.headers.get('x-tandem-kind') === 'check-in-invite'), 60_000);
    const mine = await personalLinkFrom(env.stack, mentorEmail);
    const r = await postForm(
      env.web,
      mine,
      {
        form: 'away',
        kind: 'sabbatical',
        first_day: localDay('America/New_York'),
        last_day: localDay('America/New_York', 120),
        pause: 'pause',
        contingency_name: 'Dr. Lee',
        contingency_email: 'lee@example.edu',
        contingency_covers: 'labs',
      },
      same(),
    );
    expect(r.statusCode, r.body).toBe(200);
    for (const m of menteeEmails) {
      await env.stack.mail.waitFor(() => env.stack.mail.to(m).some((x) => x.parsed.headers.get('x-tandem-kind') === 'check-in-cancel'), 60_000);
      const cancel = env.stack.mail.to(m).find((x) => x.parsed.headers.get('x-tandem-kind') === 'check-in-cancel')!;
      const ics = cancel.parsed.attachments.find((a) => a.contentType.startsWith('application/ics'))!.content.toString('utf8');
      expect(new ICAL.Component(ICAL.parse(ics)).getFirstPropertyValue('method')).toBe('CANCEL');
    }
    for (const c of cycles) expect((await env.stack.client.workflow.getHandle(c.workflowId).query(cycleViewQuery)).status).toBe('paused');
  });
});
