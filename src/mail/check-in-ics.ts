/**
 * The iCalendar text of one check-in, for an iTIP invite (METHOD:REQUEST / CANCEL) or a
 * subscribed feed (no METHOD). Times are written in the pair's zone with its VTIMEZONE;
 * DTSTAMP is UTC. What a person typed (names, the meeting place) is escaped by
 * ical-generator and stripped of control characters here; names in CN keep their double
 * quotes through RFC 6868's ^' (ical-generator writes it).
 *
 * Attendees are asked RSVP=FALSE: Tandem reads no replies (docs/mail-and-invites.md), so
 * offering Accept/Decline buttons would send answers nobody reads; the email says how to
 * move or cancel the meeting instead.
 */
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { DateTime } from 'luxon';
import { headerSafeText } from './header-safety.ts';
import { vtimezone } from './vtimezone.ts';

export interface CheckInEvent {
  uid: string;
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  /** DTSTAMP: when this revision was made (fixed, so a resend is identical). */
  stampedAt: Date;
  summary: string;
  description: string;
  location: string | null;
  /** A video link, when the meeting has one. */
  url: string | null;
  cancelled: boolean;
  organizer?: { name: string; email: string };
  attendees?: { name: string; email: string }[];
}

const paramText = (value: string) => headerSafeText(value, 120);

export function newCalendar(options: { method: 'REQUEST' | 'CANCEL' | null; name?: string; spanMs: [number, number] }): ICalCalendar {
  return ical({
    prodId: { company: 'Tandem', product: 'Mentoring check-ins', language: 'EN' },
    ...(options.method ? { method: options.method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL } : {}),
    ...(options.name ? { name: options.name } : {}),
    // No calendar-wide zone name: with one, ical-generator writes DTSTAMP in local time.
    // The generator alone emits one VTIMEZONE per zone the events use.
    timezone: { name: null, generator: (zone: string) => vtimezone(zone, options.spanMs[0], options.spanMs[1]) },
  });
}

export function addCheckInEvent(calendar: ICalCalendar, event: CheckInEvent): void {
  calendar.createEvent({
    id: event.uid,
    sequence: event.sequence,
    start: DateTime.fromJSDate(event.startsAt, { zone: event.timeZone }),
    end: DateTime.fromJSDate(event.endsAt, { zone: event.timeZone }),
    timezone: event.timeZone,
    stamp: event.stampedAt,
    summary: headerSafeText(event.summary, 200),
    description: event.description,
    location: event.location ? headerSafeText(event.location, 500) : null,
    url: event.url,
    status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...(event.organizer ? { organizer: { name: paramText(event.organizer.name), email: event.organizer.email } } : {}),
    attendees: (event.attendees ?? []).map((a) => ({
      name: paramText(a.name),
      email: a.email,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: false,
    })),
  });
}

export function checkInInviteIcs(method: 'REQUEST' | 'CANCEL', event: CheckInEvent): string {
  const calendar = newCalendar({ method, spanMs: [event.startsAt.getTime(), event.endsAt.getTime()] });
  addCheckInEvent(calendar, event);
  return calendarText(calendar);
}

/**
 * The calendar as text, ending in CRLF after END:VCALENDAR as every content line must
 * (RFC 5545 §3.1). A calendar with no event still needs one component (§3.6): `emptyZone`'s
 * VTIMEZONE stands in, which strict parsers accept and clients show as an empty calendar.
 */
export function calendarText(calendar: ICalCalendar, options: { emptyZone?: { zone: string; atMs: number } } = {}): string {
  let text = calendar.toString().replace(/(\r\n)?$/, '\r\n');
  if (calendar.events().length === 0 && options.emptyZone) {
    const zone = vtimezone(options.emptyZone.zone, options.emptyZone.atMs, options.emptyZone.atMs).replace(/(\r\n)?$/, '\r\n');
    text = text.replace(/END:VCALENDAR\r\n$/, `${zone}END:VCALENDAR\r\n`);
  }
  return text;
}

/** A meeting place that is a web address is the video link; anything else is a room. */
export function meetingPlace(format: string | null, location: string | null): { location: string | null; url: string | null } {
  const place = location?.trim() || null;
  if (!place) return { location: format === 'video' ? 'Video call (link to follow)' : null, url: null };
  const isLink = /^https?:\/\/\S+$/i.test(place);
  return { location: place, url: isLink ? place : null };
}
