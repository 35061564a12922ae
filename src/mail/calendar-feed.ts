/**
 * A participant's private, subscribable calendar of check-ins: every scheduled check-in of
 * their pairs from a month ago onwards, with the same UIDs as the emailed invites. A feed
 * is published, not an iTIP message: no METHOD, no attendees to answer.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { checkInNumber } from '../domain/step-id.ts';
import { addCheckInEvent, calendarText, meetingPlace, newCalendar } from './check-in-ics.ts';

const PAST_DAYS_SHOWN = 31;

export async function renderCalendarFeed(db: Kysely<Database>, personId: string, options: { departmentName: string; now?: Date }): Promise<string | null> {
  const person = await db.selectFrom('people').select(['id', 'time_zone']).where('id', '=', personId).executeTakeFirst();
  if (!person) return null;
  const now = options.now ?? new Date();
  const rows = await db
    .selectFrom('check_in_invites as ci')
    .innerJoin('cycles', 'cycles.id', 'ci.cycle_id')
    .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
    .innerJoin('people as mentor', 'mentor.id', 'pairs.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'pairs.mentee_id')
    .select([
      'ci.uid',
      'ci.sequence',
      'ci.step',
      'ci.starts_at',
      'ci.ends_at',
      'ci.time_zone',
      'ci.stamped_at',
      'ci.cycle_id',
      'mentor.id as mentorId',
      (eb) => eb.fn.coalesce('mentor.preferred_name', 'mentor.full_name').as('mentorName'),
      (eb) => eb.fn.coalesce('mentee.preferred_name', 'mentee.full_name').as('menteeName'),
    ])
    .where((eb) => eb.or([eb('pairs.mentor_id', '=', personId), eb('pairs.mentee_id', '=', personId)]))
    .where('ci.method', '=', 'REQUEST')
    .where('ci.ends_at', '>=', new Date(now.getTime() - PAST_DAYS_SHOWN * 86_400_000))
    .orderBy('ci.starts_at')
    .execute();

  const places = new Map<string, { location: string | null; url: string | null }>();
  for (const cycleId of new Set(rows.map((r) => r.cycle_id))) {
    const e = await db.selectFrom('expectations').select(['meeting_format', 'meeting_location']).where('cycle_id', '=', cycleId).orderBy('version', 'desc').limit(1).executeTakeFirst();
    places.set(cycleId, meetingPlace(e?.meeting_format ?? null, e?.meeting_location ?? null));
  }
  const span: [number, number] = rows.length ? [rows[0]!.starts_at.getTime(), rows.at(-1)!.ends_at.getTime()] : [now.getTime(), now.getTime()];
  const calendar = newCalendar({ method: null, name: `${options.departmentName} mentoring check-ins`, spanMs: span });
  for (const r of rows) {
    const partner = r.mentorId === personId ? r.menteeName : r.mentorName;
    const place = places.get(r.cycle_id)!;
    addCheckInEvent(calendar, {
      uid: r.uid,
      sequence: r.sequence,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      timeZone: r.time_zone,
      stampedAt: r.stamped_at,
      summary: `Mentoring check-in with ${partner}`,
      description: `Check-in ${checkInNumber(r.step)} of the mentoring year of ${r.mentorName} and ${r.menteeName}.${place.url ? `\nVideo link: ${place.url}` : ''}`,
      location: place.location,
      url: place.url,
      cancelled: false,
    });
  }
  // Nothing booked: the person's own zone keeps the calendar valid (a VCALENDAR needs a component).
  return calendarText(calendar, { emptyZone: { zone: person.time_zone, atMs: now.getTime() } });
}
