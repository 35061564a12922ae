/**
 * Reading check-in invites and feeds the way two independent clients would: ical.js and
 * node-ical each parse the same text, and a reading counts only when both agree on the
 * method, UID, SEQUENCE, status and times.
 */
import ICAL from 'ical.js';
import nodeIcal, { type VEvent } from 'node-ical';
import { expect } from 'vitest';
import type { CaughtMessage, MailCatcher } from '../../src/mail/catcher.ts';
import { decodeBody, findPart, parseMime } from '../mail/support/mime.ts';

export interface CalendarEvent {
  method: string | null;
  uid: string;
  sequence: number;
  status: string | null;
  start: string;
  end: string;
}

/** Every VEVENT of a calendar text, read by both parsers (which must agree). */
export function readCalendar(ics: string): CalendarEvent[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  const method = (root.getFirstPropertyValue('method') as string | null) ?? null;
  const byIcalJs = root.getAllSubcomponents('vevent').map((e) => ({
    method,
    uid: String(e.getFirstPropertyValue('uid')),
    sequence: Number(e.getFirstPropertyValue('sequence')),
    status: (e.getFirstPropertyValue('status') as string | null) ?? null,
    start: new Date((e.getFirstPropertyValue('dtstart') as ICAL.Time).toUnixTime() * 1000).toISOString(),
    end: new Date((e.getFirstPropertyValue('dtend') as ICAL.Time).toUnixTime() * 1000).toISOString(),
  }));
  const parsed = nodeIcal.sync.parseICS(ics);
  const calendarMethod = (parsed.vcalendar as { method?: string } | undefined)?.method ?? null;
  const byNodeIcal = Object.values(parsed)
    .filter((c): c is VEvent => c?.type === 'VEVENT')
    .map((e) => ({
      method: calendarMethod,
      uid: e.uid,
      sequence: Number(e.sequence),
      status: (e.status as string | undefined) ?? null,
      start: new Date(e.start).toISOString(),
      end: new Date(e.end!).toISOString(),
    }));
  const order = (list: CalendarEvent[]) => [...list].sort((a, b) => a.uid.localeCompare(b.uid));
  expect(order(byNodeIcal), 'node-ical reads what ical.js reads').toEqual(order(byIcalJs));
  return byIcalJs;
}

/** The calendar part of one invite email, checked to be one event. */
export function readInvite(message: CaughtMessage): CalendarEvent {
  const part = findPart(parseMime(message.raw.toString('utf8')), 'text/calendar');
  expect(part, 'a text/calendar part').toBeDefined();
  const events = readCalendar(decodeBody(part!));
  expect(events).toHaveLength(1);
  return events[0]!;
}

/** Check-in invites (REQUEST and CANCEL) caught for one address, read, oldest first; `uid` keeps one check-in's. */
export function invitesTo(mail: MailCatcher, address: string, uid?: string): CalendarEvent[] {
  return mail
    .to(address)
    .filter((m) => ['check-in-invite', 'check-in-cancel'].includes(m.parsed.headers.get('x-tandem-kind')?.toString() ?? ''))
    .map(readInvite)
    .filter((e) => !uid || e.uid === uid);
}

/** The UID Tandem gives a check-in (the test worker's sender is at biology.example.edu). */
export const checkInUid = (cycleId: string, step: string) => `${cycleId}.${step}@biology.example.edu`;

/**
 * Waits until `ready` holds over the caught invites. A reading that fails (the parsers
 * disagree, a message is malformed) is reported as itself, not as a timeout.
 */
export async function waitForInvites(mail: MailCatcher, ready: () => boolean, timeoutMs = 60_000): Promise<void> {
  let failure: unknown = null;
  try {
    await mail.waitFor(() => {
      try {
        return ready();
      } catch (error) {
        failure = error;
        return false;
      }
    }, timeoutMs);
  } catch (timeout) {
    throw failure ?? timeout;
  }
}
