/**
 * A mentee opens "My mentoring" from the footer of an email, in a real browser, and changes
 * the name and pronouns they go by with the keyboard alone; the mentor is told once, and
 * the next check-in invite names them the new way (ATTENDEE CN, parsed with ical.js). Bad
 * input — a 500-character name, pronouns with markup, an unknown zone, a cross-site post —
 * gets a clear page and changes nothing. axe-core runs on every page visited.
 */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { momentIn } from '../../src/web/participant/pages.ts';
import { enrollTestPair, view } from '../support/cycle.ts';
import { EXPECTATIONS, linkFromMail, postForm, shortYearPolicy } from '../web/support/participant-web.ts';
import { makeStaff } from '../web/dashboard-support.ts';
import { coordinatorSession, expectAccessible, expectFitsPhone, newPage, personalLinkFrom, usePeopleWeb } from './support.ts';

describe('My mentoring: name and pronouns', () => {
  const env = usePeopleWeb(shortYearPolicy());

  it('a mentee changes name and pronouns from the page; the mentor and the next invite use them', async () => {
    const c = await enrollTestPair(env.stack);
    const mine = await personalLinkFrom(env.stack, c.menteeEmail);
    const page = await newPage(env.browser);
    await page.goto(`${env.origin}${mine}`);
    expect(await page.locator('h1').textContent()).toBe('My mentoring');
    expect(await page.textContent('main')).toContain(`Your mentor Mentor`);
    await expectAccessible(page, 'My mentoring');
    await expectFitsPhone(env.browser, `${env.origin}${mine}`);

    // Keyboard only: into the name field, type, choose "Something else" for pronouns, type them, submit.
    await page.getByLabel('The name you would like to be called by').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Robin Q.');
    await page.getByRole('radio', { name: 'Something else' }).focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Your pronouns, if something else').focus();
    await page.keyboard.type('xe/xem');
    await page.getByLabel('Your pronouns, if something else').press('Enter');
    await page.waitForLoadState();
    expect(await page.getByRole('status').textContent()).toContain('Your details are saved');
    await expectAccessible(page, 'My mentoring after saving');
    const saved = await env.stack.db.selectFrom('people').select(['preferred_name', 'pronouns', 'full_name']).where('id', '=', c.menteeId).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ preferred_name: 'Robin Q.', pronouns: 'xe/xem' });

    // The mentor's next email is the one short notice, and it says how to address them.
    await env.stack.mail.waitFor(() => env.stack.mail.to(c.mentorEmail).some((m) => m.parsed.headers.get('x-tandem-kind') === 'profile-changed'), 30_000);
    const notices = env.stack.mail.to(c.mentorEmail).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'profile-changed');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.parsed.text).toContain('Robin Q. (xe/xem)');
    // The timeline has the change, ids only.
    const events = await env.stack.db.selectFrom('cycle_events').select(['kind', 'detail']).where('cycle_id', '=', c.cycleId).where('kind', '=', 'profile-changed').execute();
    expect(events).toEqual([{ kind: 'profile-changed', detail: { personId: c.menteeId } }]);

    // The next invite after the change (the mentor books the first check-in): the attendee is named as they asked.
    const changedAt = new Date();
    expect((await postForm(env.web, await linkFromMail(env.stack, c.mentorEmail, 'share-expectations'), { ...EXPECTATIONS, meeting_cadence_days: '7' }, sameSite(env.origin))).statusCode).toBe(200);
    expect((await postForm(env.web, await linkFromMail(env.stack, c.menteeEmail, 'respond-expectations'), { response: 'acknowledge' }, sameSite(env.origin))).statusCode).toBe(200);
    const schedule = await linkFromMail(env.stack, c.mentorEmail, 'schedule-check-in', { step: 'check-in-1' });
    const slots = [...(await env.web.inject({ method: 'GET', url: schedule })).body.matchAll(/name="slot" value="([^"]+)"/g)].map((m) => m[1]!).filter((v) => v !== 'other');
    expect((await postForm(env.web, schedule, { intent: 'schedule', slot: slots[0]! }, sameSite(env.origin))).statusCode).toBe(200);
    const invites = () => env.stack.mail.to(c.mentorEmail).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'check-in-invite' && m.receivedAt > changedAt);
    await env.stack.mail.waitFor(() => invites().length > 0, 60_000);
    const invite = invites()[0]!;
    const ics = invite.parsed.attachments.find((a) => a.contentType.startsWith('application/ics'))!.content.toString('utf8');
    const event = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
    const mentee = event.getAllProperties('attendee').find((a) => String(a.getFirstValue()).toLowerCase() === `mailto:${c.menteeEmail}`)!;
    expect(mentee.getParameter('cn')).toBe('Robin Q.');
    expect(invite.parsed.text).toContain('Robin Q.');

    // A new time zone: the booked check-in keeps its instant and is shown in the new zone; nobody is told.
    const booked = (await view(c)).steps.find((s) => s.id === 'check-in-1')!.meeting!;
    await page.goto(`${env.origin}${mine}`);
    await page.getByLabel('Your time zone').selectOption('Asia/Tokyo');
    await page.getByRole('button', { name: 'Save' }).first().press('Enter');
    await page.waitForLoadState();
    expect(await page.getByRole('status').textContent()).toContain('Your details are saved');
    expect(await page.textContent('main')).toContain(momentIn(booked.startsAt, 'Asia/Tokyo'));
    expect((await view(c)).steps.find((s) => s.id === 'check-in-1')!.meeting).toEqual(booked);
    expect(env.stack.mail.to(c.mentorEmail).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'profile-changed')).toHaveLength(1);
    await page.context().close();
  });

  it('refuses bad names, pronouns and zones with a clear page, and changes nothing', async () => {
    const c = await enrollTestPair(env.stack);
    const mine = await personalLinkFrom(env.stack, c.menteeEmail);
    const before = await env.stack.db.selectFrom('people').selectAll().where('id', '=', c.menteeId).executeTakeFirstOrThrow();
    const post = (fields: Record<string, string>, headers = sameSite(env.origin)) => postForm(env.web, mine, { form: 'profile', pronouns_choice: 'none', time_zone: 'UTC', preferred_name: 'Sam', ...fields }, headers);

    const cases: [Record<string, string>, string][] = [
      [{ preferred_name: '   ' }, 'Enter the name you would like to be called by.'],
      [{ preferred_name: 'x'.repeat(500) }, 'Your name must be 100 characters or fewer (it is 500).'],
      [{ preferred_name: 'Sam\u0007' }, 'invisible control character'],
      [{ pronouns_choice: 'other', pronouns_other: '<b>he</b>' }, 'Pronouns are plain words'],
      [{ pronouns_choice: 'other', pronouns_other: 'they\nthem' }, 'invisible control character'],
      [{ time_zone: 'Mars/Olympus_Mons' }, 'is not a time zone we know'],
    ];
    for (const [fields, message] of cases) {
      const response = await post(fields);
      expect(response.statusCode, JSON.stringify(fields)).toBe(422);
      expect(response.body).toContain('There is a problem');
      expect(response.body.replace(/&quot;/g, '"')).toContain(message);
    }
    const crossSite = await post({ preferred_name: 'Evil' }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.body).toContain('This form was sent from another website');

    const after = await env.stack.db.selectFrom('people').selectAll().where('id', '=', c.menteeId).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect(env.stack.mail.to(c.mentorEmail).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'profile-changed')).toHaveLength(0);
  });

  it('keeps a name that looks like markup or a formula as text: on pages, in mail headers and in the CSV export', async () => {
    const c = await enrollTestPair(env.stack);
    const mine = await personalLinkFrom(env.stack, c.menteeEmail);
    const name = '=HYPERLINK("x") <i>Jo</i>';
    const saved = await postForm(env.web, mine, { form: 'profile', preferred_name: name, pronouns_choice: 'they/them', time_zone: 'Europe/Berlin' }, sameSite(env.origin));
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('=HYPERLINK(&quot;x&quot;) &lt;i&gt;Jo&lt;/i&gt;');
    expect(saved.body).not.toContain('<i>Jo</i>');
    await env.stack.mail.waitFor(() => env.stack.mail.to(c.mentorEmail).some((m) => m.parsed.headers.get('x-tandem-kind') === 'profile-changed'), 30_000);
    const notice = env.stack.mail.to(c.mentorEmail).find((m) => m.parsed.headers.get('x-tandem-kind') === 'profile-changed')!;
    expect(notice.parsed.subject).toBe(`How to address ${name} now`);
    expect(notice.parsed.html).toContain('&lt;i&gt;Jo&lt;/i&gt;');
    const coordinator = await makeStaff(env.stack, ['coordinator']);
    const cookie = `tandem_staff=${await coordinatorSession(env, coordinator.email)}`;
    const csv = await env.web.inject({ method: 'GET', url: `/dashboard/export.csv?mentor=${encodeURIComponent(c.mentorEmail)}`, headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(`"'=HYPERLINK(""x"") <i>Jo</i>"`);
  });

  it('refuses forged, expired and non-personal links', async () => {
    const c = await enrollTestPair(env.stack);
    const mine = await personalLinkFrom(env.stack, c.menteeEmail);
    const [payload, signature] = mine.slice('/me/'.length).split('.') as [string, string];
    const forged = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await env.web.inject({ method: 'GET', url: `/me/${forged}` })).statusCode).toBe(403);
    // Another person's claims under this signature: the signature no longer matches.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string };
    const swapped = Buffer.from(JSON.stringify({ ...claims, sub: c.mentorId })).toString('base64url');
    expect((await env.web.inject({ method: 'GET', url: `/me/${swapped}.${signature}` })).statusCode).toBe(403);
    const { issuePersonalToken } = await import('../../src/security/personal-links.ts');
    const { TEST_SECRET } = await import('../support/stack.ts');
    const old = issuePersonalToken(TEST_SECRET, c.menteeId, new Date(Date.now() - 401 * 86_400_000));
    const expired = await env.web.inject({ method: 'GET', url: `/me/${old}` });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    const action = await linkFromMail(env.stack, c.menteeEmail, 'request-help');
    const notPersonal = await env.web.inject({ method: 'GET', url: `/me/${action.slice('/a/'.length)}` });
    expect(notPersonal.statusCode).toBe(403);
    expect(notPersonal.body).toContain('This link does not open a mentoring page');
  });
});

function sameSite(origin: string): Record<string, string> {
  return { origin, 'sec-fetch-site': 'same-origin' };
}
