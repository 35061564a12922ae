/**
 * A participant's private, subscribable calendar of check-ins: every scheduled check-in of
 * their pairs from a month ago onwards, with the same UIDs as the emailed invites. A feed
 * is published, not an iTIP message: no METHOD, no attendees to answer.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { findPersonTimeZone } from '../stores/people-store.ts';
import { listBookedCheckInsOf } from '../stores/cycle-store.ts';
import { findMeetingPlace } from '../stores/participant-content-store.ts';
import { checkInNumber } from '../domain/step-id.ts';
import { addCheckInEvent, calendarText, meetingPlace, newCalendar } from './check-in-ics.ts';

const PAST_DAYS_SHOWN = 31;

export async function renderCalendarFeed(db: Kysely<Database>, personId: string, options: { departmentName: string; now?: Date }): Promise<string | null> {
  const timeZone = await findPersonTimeZone(db, personId);
  if (timeZone === undefined) return null;
  const now = options.now ?? new Date();
  const rows = await listBookedCheckInsOf(db, personId, new Date(now.getTime() - PAST_DAYS_SHOWN * 86_400_000));

  const places = new Map<string, { location: string | null; url: string | null }>();
  for (const cycleId of new Set(rows.map((r) => r.cycleId))) {
    const e = await findMeetingPlace(db, cycleId);
    places.set(cycleId, meetingPlace(e.meetingFormat, e.meetingLocation));
  }
  const span: [number, number] = rows.length ? [rows[0]!.startsAt.getTime(), rows.at(-1)!.endsAt.getTime()] : [now.getTime(), now.getTime()];
  const calendar = newCalendar({ method: null, name: `${options.departmentName} mentoring check-ins`, spanMs: span });
  for (const r of rows) {
    const partner = r.mentorId === personId ? r.menteeName : r.mentorName;
    const place = places.get(r.cycleId)!;
    addCheckInEvent(calendar, {
      uid: r.uid,
      sequence: r.sequence,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
      timeZone: r.timeZone,
      stampedAt: r.stampedAt,
      summary: `Mentoring check-in with ${partner}`,
      description: `Check-in ${checkInNumber(r.step)} of the mentoring year of ${r.mentorName} and ${r.menteeName}.${place.url ? `\nVideo link: ${place.url}` : ''}`,
      location: place.location,
      url: place.url,
      cancelled: false,
    });
  }
  // Nothing booked: the person's own zone keeps the calendar valid (a VCALENDAR needs a component).
  return calendarText(calendar, { emptyZone: { zone: timeZone, atMs: now.getTime() } });
}
