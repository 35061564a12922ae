/**
 * Check-in invites through the real SMTP sink, parsed with ical.js.
 *
 * The checklist every invite message is held to (what Outlook, Gmail, Apple Calendar and
 * Thunderbird need to treat it as one meeting that moves and is cancelled):
 *  1. MIME: multipart/mixed( multipart/alternative(text/plain, text/html,
 *     text/calendar; method=M), application/ics ).
 *  2. METHOD in the iCalendar equals the method= of the text/calendar Content-Type.
 *  3. Exactly one VCALENDAR with exactly one VEVENT.
 *  4. UID unchanged for the life of the check-in; SEQUENCE strictly rising per change.
 *  5. DTSTAMP in UTC (ends in Z).
 *  6. Every TZID used has its VTIMEZONE, and through it DTSTART/DTEND equal the stored instants.
 *  7. ORGANIZER is the department address; both attendees present with ROLE, PARTSTAT, RSVP=FALSE (Tandem reads no replies).
 *  8. CANCEL carries STATUS:CANCELLED; REQUEST carries the meeting place.
 *  9. The attachment is the same calendar as the alternative.
 */
import ICAL from 'ical.js';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueActionToken } from '../../src/security/action-tokens.ts';
import { calendarFeedRoutes } from '../../src/web/calendar-feed-routes.ts';
import { TEST_SECRET } from '../support/stack.ts';
import { decodeBody, findPart, parseMime, shape } from './support/mime.ts';
import { createPair, startMailFixture, type MailFixture, type TestPair } from './support/mail-fixture.ts';
import type { CaughtMessage } from '../../src/mail/catcher.ts';

interface ReadInvite {
  method: string;
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  event: ICAL.Component;
  raw: string;
}

/** Reads one invite message and checks it against the checklist above. */
function readInvite(message: CaughtMessage, organizer: string, attendees: string[]): ReadInvite {
  const mime = parseMime(message.raw.toString('utf8'));
  expect(shape(mime)).toBe('multipart/mixed(multipart/alternative(text/plain,text/html,text/calendar),application/ics)'); // 1
  const calendarPart = findPart(mime, 'text/calendar')!;
  const ics = decodeBody(calendarPart);
  expect(decodeBody(findPart(mime, 'application/ics')!).trimEnd()).toBe(ics.trimEnd()); // 9

  const root = new ICAL.Component(ICAL.parse(ics));
  expect(root.name).toBe('vcalendar'); // 3
  const method = root.getFirstPropertyValue('method') as string;
  expect(calendarPart.params.method).toBe(method); // 2
  const events = root.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1); // 3
  const event = events[0]!;

  expect(ics).toMatch(/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/); // 5

  const zones = new Map(root.getAllSubcomponents('vtimezone').map((z) => [z.getFirstPropertyValue('tzid') as string, z]));
  for (const name of ['dtstart', 'dtend']) {
    const tzid = event.getFirstProperty(name)!.getParameter('tzid') as string;
    expect(zones.has(tzid), `VTIMEZONE for ${tzid}`).toBe(true); // 6
  }
  // ical.js resolves each TZID through the VTIMEZONE in the same calendar: ours decides the instant.
  const times = (field: 'dtstart' | 'dtend') => {
    const time = event.getFirstPropertyValue(field) as ICAL.Time;
    expect(time.zone?.tzid).toBe(event.getFirstProperty(field)!.getParameter('tzid'));
    return new Date(time.toUnixTime() * 1000);
  };

  const org = event.getFirstProperty('organizer')!;
  expect(String(org.getFirstValue()).toLowerCase()).toBe(`mailto:${organizer}`); // 7
  const people = event.getAllProperties('attendee');
  expect(people.map((a) => String(a.getFirstValue()).toLowerCase().replace('mailto:', '')).sort()).toEqual([...attendees].sort());
  for (const a of people) {
    expect(a.getParameter('role')).toBe('REQ-PARTICIPANT');
    expect(a.getParameter('partstat')).toBe('NEEDS-ACTION');
    expect(a.getParameter('rsvp')).toBe('FALSE');
  }
  if (method === 'CANCEL')
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED'); // 8
  else expect(event.getFirstPropertyValue('location')).toBe('https://meet.example.edu/ada-sam');

  return {
    method,
    uid: event.getFirstPropertyValue('uid') as string,
    sequence: Number(event.getFirstPropertyValue('sequence')),
    start: times('dtstart'),
    end: times('dtend'),
    event,
    raw: ics,
  };
}

describe('check-in invites', () => {
  let f: MailFixture;
  let pair: TestPair;
  const organizer = 'mentoring@biology.example.edu';
  // The second slot is before the US clocks change, the first after: both offsets are exercised.
  const first = { startsAt: '2026-11-02T17:00:00.000Z', endsAt: '2026-11-02T17:45:00.000Z' };
  const moved = { startsAt: '2026-10-30T16:30:00.000Z', endsAt: '2026-10-30T17:15:00.000Z' };

  beforeAll(async () => {
    f = await startMailFixture();
    pair = await createPair(f.db, f.policy, {
      mentor: { fullName: 'Ada Lovelace', preferredName: 'Ada', pronouns: 'she/her', timeZone: 'Europe/London' },
      mentee: { fullName: 'Samuel Okafor', preferredName: 'Sam', pronouns: 'they/them', timeZone: 'America/Los_Angeles' },
    });
    await f.db
      .insertInto('expectations')
      .values({
        cycle_id: pair.cycleId,
        author_person_id: pair.mentorId,
        version: 1,
        meeting_cadence_days: 14,
        meeting_local_time: '09:00',
        meeting_format: 'video',
        meeting_location: 'https://meet.example.edu/ada-sam',
        response_time_norms: 'Two working days',
        work_life_boundaries: 'No email on weekends',
        leave_contingencies: 'Ask Dr. Franklin',
      })
      .execute();
  });
  afterAll(() => f?.close());

  const invitesTo = (address: string) => f.mail.to(address).filter((m) => m.parsed.headers.get('x-tandem-kind')?.toString().startsWith('check-in-'));

  it('invites, reschedules and cancels one meeting: same UID, rising SEQUENCE, exact times', async () => {
    const base = { cycleId: pair.cycleId, step: 'check-in-2' } as const;
    const r1 = await f.activities.sendCheckInInvite({ ...base, method: 'REQUEST', ...first, revision: 1 });
    expect(r1).toMatchObject({ sequence: 0, sent: 2, alreadySent: 0, refused: 0, stale: false });
    const r2 = await f.activities.sendCheckInInvite({ ...base, method: 'REQUEST', ...moved, revision: 2 });
    expect(r2).toMatchObject({ sequence: 1, sent: 2 });
    const r3 = await f.activities.sendCheckInInvite({ ...base, method: 'CANCEL', ...moved, revision: 3 });
    expect(r3).toMatchObject({ sequence: 2, sent: 2 });
    await f.mail.waitFor(() => invitesTo(pair.menteeEmail).length >= 3 && invitesTo(pair.mentorEmail).length >= 3);

    const stored = await f.db
      .selectFrom('check_in_invites')
      .selectAll()
      .where('cycle_id', '=', pair.cycleId)
      .where('step', '=', 'check-in-2')
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ sequence: 2, revision: 3, method: 'CANCEL', time_zone: 'America/Los_Angeles' });

    for (const address of [pair.mentorEmail, pair.menteeEmail]) {
      const read = invitesTo(address).map((m) => readInvite(m, organizer, [pair.mentorEmail, pair.menteeEmail]));
      expect(read.map((r) => r.method)).toEqual(['REQUEST', 'REQUEST', 'CANCEL']);
      expect(new Set(read.map((r) => r.uid)).size).toBe(1);
      expect(read[0]!.uid).toBe(stored.uid);
      expect(read.map((r) => r.sequence)).toEqual([0, 1, 2]);
      expect([read[0]!.start.toISOString(), read[0]!.end.toISOString()]).toEqual([first.startsAt, first.endsAt]);
      expect([read[1]!.start.toISOString(), read[1]!.end.toISOString()]).toEqual([moved.startsAt, moved.endsAt]);
      // Local wall time in the pair's zone: 9:00 PST after the change, 9:30 PDT before it.
      expect(read[0]!.raw).toContain('DTSTART;TZID=America/Los_Angeles:20261102T090000');
      expect(read[1]!.raw).toContain('DTSTART;TZID=America/Los_Angeles:20261030T093000');
    }

    const menteeCopies = invitesTo(pair.menteeEmail).map((m) => m.parsed);
    expect(menteeCopies.map((p) => p.subject)).toEqual([
      'Check-in with Ada, Monday, November 2 at 9:00 AM PST',
      'Updated: check-in with Ada, Friday, October 30 at 9:30 AM PDT',
      'Cancelled: check-in with Ada, Friday, October 30 at 9:30 AM PDT',
    ]);
    expect(menteeCopies.every((p) => p.text!.includes('your mentor is not told'))).toBe(true);
    const mentorCopy = invitesTo(pair.mentorEmail)[0]!.parsed;
    expect(mentorCopy.text).toContain('Monday, November 2 at 5:00 PM GMT'); // the mentor reads London time
    expect(mentorCopy.text).not.toContain('your mentor is not told');
    expect(mentorCopy.text).toContain('Where: https://meet.example.edu/ada-sam');
  });

  it('sends nothing new when the same revision is retried, or an older one arrives late', async () => {
    const before = f.mail.messages.length;
    const base = { cycleId: pair.cycleId, step: 'check-in-2', method: 'CANCEL', ...moved } as const;
    expect(await f.activities.sendCheckInInvite({ ...base, revision: 3 })).toMatchObject({ sequence: 2, sent: 0, alreadySent: 2, stale: false });
    expect(await f.activities.sendCheckInInvite({ ...base, method: 'REQUEST', revision: 2 })).toMatchObject({ sequence: 2, sent: 0, stale: true });
    expect(f.mail.messages.length).toBe(before);
  });

  it('rejects an impossible invite with a reason and changes nothing', async () => {
    const before = await f.db
      .selectFrom('check_in_invites')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      f.activities.sendCheckInInvite({
        cycleId: pair.cycleId,
        step: 'check-in-3',
        method: 'REQUEST',
        startsAt: first.endsAt,
        endsAt: first.startsAt,
        revision: 1,
      }),
    ).rejects.toThrow('sendCheckInInvite: endsAt must be after startsAt');
    await expect(
      f.activities.sendCheckInInvite({
        cycleId: pair.cycleId,
        step: 'check-in-3',
        method: 'REQUEST',
        startsAt: 'next tuesday',
        endsAt: first.endsAt,
        revision: 1,
      }),
    ).rejects.toThrow('sendCheckInInvite: startsAt is not an instant (got "next tuesday")');
    const after = await f.db
      .selectFrom('check_in_invites')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('serves each participant a private feed of their scheduled check-ins', async () => {
    await f.activities.sendCheckInInvite({
      cycleId: pair.cycleId,
      step: 'check-in-3',
      method: 'REQUEST',
      startsAt: '2027-02-01T17:00:00.000Z',
      endsAt: '2027-02-01T17:45:00.000Z',
      revision: 1,
    });
    const web = Fastify();
    await web.register(calendarFeedRoutes, { db: f.db, secret: TEST_SECRET, departmentName: 'Department of Biology' });
    const token = (act: 'calendar-feed' | 'give-feedback', ttlSeconds = 3600, now?: Date) =>
      issueActionToken(TEST_SECRET, { sub: pair.menteeId, cyc: pair.cycleId, act }, { ttlSeconds, now });

    const ok = await web.inject({ method: 'GET', url: `/calendar/${token('calendar-feed')}.ics` });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const root = new ICAL.Component(ICAL.parse(ok.body));
    expect(root.getFirstPropertyValue('method')).toBeNull();
    const events = root.getAllSubcomponents('vevent');
    // check-in-2 was cancelled; only check-in-3 is on the calendar.
    expect(events.map((e) => e.getFirstPropertyValue('summary'))).toEqual(['Mentoring check-in with Ada']);
    expect(events[0]!.getFirstPropertyValue('uid')).toBe(`${pair.cycleId}.check-in-3@biology.example.edu`);
    expect(root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['America/Los_Angeles']);
    expect(ok.body).toMatch(/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/);

    expect((await web.inject({ method: 'GET', url: `/calendar/${token('give-feedback')}.ics` })).statusCode).toBe(404);
    expect((await web.inject({ method: 'GET', url: `/calendar/${token('calendar-feed')}x.ics` })).statusCode).toBe(404);
    const expired = await web.inject({ method: 'GET', url: `/calendar/${token('calendar-feed', 60, new Date(Date.now() - 3_600_000))}.ics` });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toBe('This link has expired.');
    await web.close();
  });
});
