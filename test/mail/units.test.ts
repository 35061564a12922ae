/** Pure pieces of mail delivery: VTIMEZONE generation, link lifetimes, SMTP failure classes, settings. */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.ts';
import { linkLifetimeSeconds } from '../../src/mail/action-links.ts';
import { checkInInviteIcs } from '../../src/mail/check-in-ics.ts';
import { headerSafeText } from '../../src/mail/header-safety.ts';
import { classifySmtpError } from '../../src/mail/smtp-errors.ts';
import { createMailTransport } from '../../src/mail/transport.ts';
import { utcOffsetMinutes, vtimezone } from '../../src/mail/vtimezone.ts';

describe('VTIMEZONE from Intl', () => {
  // Zones with DST north and south, a half-hour DST shift, none at all, and a 45-minute offset.
  const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'UTC'];

  it.each(zones)('%s: ical.js maps local times through it back to the instants we meant, all year', (zone) => {
    const start = Date.UTC(2026, 8, 1);
    const end = Date.UTC(2027, 8, 1);
    const component = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n${vtimezone(zone, start, end)}\r\nEND:VCALENDAR`));
    const tz = new ICAL.Timezone(component.getFirstSubcomponent('vtimezone')!);
    let checked = 0;
    for (let t = start; t < end; t += 3_600_000) {
      const offset = utcOffsetMinutes(zone, t);
      // A wall time repeated when clocks go back names two instants; skip the hours around a change.
      if (utcOffsetMinutes(zone, t - 3 * 3_600_000) !== offset || utcOffsetMinutes(zone, t + 3 * 3_600_000) !== offset) continue;
      const local = new Date(t + offset * 60_000);
      const wall = ICAL.Time.fromData(
        {
          year: local.getUTCFullYear(),
          month: local.getUTCMonth() + 1,
          day: local.getUTCDate(),
          hour: local.getUTCHours(),
          minute: local.getUTCMinutes(),
          second: 0,
          isDate: false,
        },
        tz,
      );
      expect(wall.toUnixTime() * 1000, `${zone} at ${new Date(t).toISOString()}`).toBe(t);
      checked++;
    }
    expect(checked).toBeGreaterThan(8000);
  });

  it('writes local times with their TZID and DTSTAMP in UTC', () => {
    const ics = checkInInviteIcs('REQUEST', {
      uid: 'u@x',
      sequence: 0,
      startsAt: new Date('2026-07-01T08:00:00Z'),
      endsAt: new Date('2026-07-01T08:45:00Z'),
      timeZone: 'Europe/Berlin',
      stampedAt: new Date('2026-06-01T12:34:56Z'),
      summary: 'Check-in',
      description: 'x',
      location: null,
      url: null,
      cancelled: false,
    });
    expect(ics).toContain('\r\nDTSTART;TZID=Europe/Berlin:20260701T100000\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20260601T123456Z\r\n');
    expect(ics).toContain('\r\nTZID:Europe/Berlin\r\n');
  });
});

describe('link lifetimes', () => {
  const policy = {
    ladder: [
      { rung: 'remind-owner' as const, afterDays: 3 },
      { rung: 'refer-resource' as const, afterDays: 21 },
    ],
  };
  const now = new Date('2026-10-01T00:00:00Z');
  it('lasts until the due date plus the ladder plus a week for a step action', () => {
    expect(linkLifetimeSeconds('share-expectations', { policy, dueAt: '2026-10-22T00:00:00Z', now })).toBe((21 + 21 + 7) * 86_400);
  });
  it('never lasts less than a week, and has fixed lifetimes for help, reading and the feed', () => {
    expect(linkLifetimeSeconds('give-feedback', { policy, dueAt: '2026-01-01T00:00:00Z', now })).toBe(7 * 86_400);
    expect(linkLifetimeSeconds('schedule-check-in', { policy, dueAt: null, now })).toBe(45 * 86_400);
    expect(linkLifetimeSeconds('request-help', { policy, now })).toBe(180 * 86_400);
    expect(linkLifetimeSeconds('calendar-feed', { policy, now })).toBe(400 * 86_400);
  });
});

describe('SMTP failures', () => {
  it('treats only a 5xx at RCPT TO as a bad address', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 no such user' }).kind).toBe('address-refused');
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO', response: '451 later' }).kind).toBe('transient');
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM', response: '553 sender refused' }).kind).toBe('transient');
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 554, command: 'DATA', response: '554 rejected' }).kind).toBe('message-refused');
    expect(classifySmtpError({ code: 'ESOCKET', command: 'CONN', message: 'connect ECONNREFUSED' })).toEqual({
      kind: 'transient',
      code: null,
      response: 'connect ECONNREFUSED',
    });
  });

  it('folds control characters and Unicode line separators out of header text', () => {
    expect(headerSafeText('a\r\nBcc: x@y\u2028z\u0000')).toBe('a Bcc: x@y z');
  });
});

describe('SMTP settings', () => {
  it('defaults to 10 messages a second over 3 connections and passes them to the pool', () => {
    const config = loadConfig({});
    expect(config.smtp).toEqual({ ratePerSecond: 10, maxConnections: 3 });
    const transport = createMailTransport('smtp://127.0.0.1:1025?tls=off', config.smtp);
    expect(transport.options).toMatchObject({ pool: true, maxConnections: 3, rateLimit: 10, rateDelta: 1000 });
    transport.close();
  });

  it.each([
    ['SMTP_RATE_PER_SECOND', '0', 'SMTP_RATE_PER_SECOND: must be a whole number from 1 to 1000 (got "0")'],
    ['SMTP_RATE_PER_SECOND', 'fast', 'SMTP_RATE_PER_SECOND: must be a whole number from 1 to 1000 (got "fast")'],
    ['SMTP_MAX_CONNECTIONS', '2.5', 'SMTP_MAX_CONNECTIONS: must be a whole number from 1 to 50 (got "2.5")'],
  ])('names %s when it is malformed', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(new ConfigError(variable, message.slice(variable.length + 2)));
  });
});
