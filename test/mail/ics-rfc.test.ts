/**
 * The iCalendar text itself, read by ical.js and node-ical: CRLF after END:VCALENDAR
 * (RFC 5545 §3.1), a feed with nothing booked still holds a component (§3.6), names keep
 * their double quotes in CN through RFC 6868, and attendees are asked RSVP=FALSE.
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { describe, expect, it } from 'vitest';
import { calendarText, checkInInviteIcs, newCalendar } from '../../src/mail/check-in-ics.ts';
import { readCalendar } from '../support/calendar.ts';

const event = {
  uid: 'cycle-1.check-in-2@biology.example.edu',
  sequence: 3,
  startsAt: new Date('2026-11-02T17:00:00.000Z'),
  endsAt: new Date('2026-11-02T17:45:00.000Z'),
  timeZone: 'America/Los_Angeles',
  stampedAt: new Date('2026-10-01T12:00:00.000Z'),
  summary: 'Mentoring check-in',
  description: 'Check-in 2',
  location: 'Room 4',
  url: null,
  cancelled: false,
  organizer: { name: 'Department of Biology Mentoring', email: 'mentoring@biology.example.edu' },
  attendees: [
    { name: 'Ada "The Countess" Lovelace', email: 'ada@example.edu' },
    { name: 'Sam O^Kafor', email: 'sam@example.edu' },
  ],
};

describe('iCalendar text', () => {
  it('ends every calendar with CRLF after END:VCALENDAR', () => {
    for (const method of ['REQUEST', 'CANCEL'] as const) {
      const ics = checkInInviteIcs(method, { ...event, cancelled: method === 'CANCEL' });
      expect(ics.endsWith('\r\nEND:VCALENDAR\r\n')).toBe(true);
      expect(ics).not.toMatch(/[^\r]\n/);
      expect(readCalendar(ics)).toEqual([
        {
          method,
          uid: event.uid,
          sequence: 3,
          status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
          start: '2026-11-02T17:00:00.000Z',
          end: '2026-11-02T17:45:00.000Z',
        },
      ]);
    }
  });

  it('keeps double quotes and carets in CN (RFC 6868) and asks no reply (RSVP=FALSE)', () => {
    const ics = checkInInviteIcs('REQUEST', event);
    const unfolded = ics.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain(`CN="Ada ^'The Countess^' Lovelace"`);
    expect(unfolded).toContain('CN="Sam O^^Kafor"');
    const vevent = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
    const attendees = vevent.getAllProperties('attendee');
    expect(attendees.map((a) => a.getParameter('cn'))).toEqual(['Ada "The Countess" Lovelace', 'Sam O^Kafor']);
    expect(attendees.map((a) => a.getParameter('rsvp'))).toEqual(['FALSE', 'FALSE']);
    const parsed = Object.values(nodeIcal.sync.parseICS(ics)).find((c) => c?.type === 'VEVENT') as { attendee: { params: { RSVP: unknown } }[] };
    expect(parsed.attendee.map((a) => a.params.RSVP)).toEqual([false, false]);
  });

  it("gives a feed with nothing in it one component, the reader's VTIMEZONE, which both parsers accept", () => {
    const calendar = newCalendar({ method: null, name: 'Department of Biology mentoring check-ins', spanMs: [0, 0] });
    const ics = calendarText(calendar, { emptyZone: { zone: 'Europe/London', atMs: Date.parse('2026-12-01T00:00:00Z') } });
    expect(ics.endsWith('END:VTIMEZONE\r\nEND:VCALENDAR\r\n')).toBe(true);
    const root = new ICAL.Component(ICAL.parse(ics));
    expect(root.getAllSubcomponents().map((c) => c.name)).toEqual(['vtimezone']);
    expect(root.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Europe/London');
    expect(readCalendar(ics)).toEqual([]);
    expect(Object.values(nodeIcal.sync.parseICS(ics)).map((c) => c?.type)).toContain('VTIMEZONE');
  });
});
