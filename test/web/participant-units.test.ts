/** Pure pieces of the participant pages: the cross-site guard, offered check-in times, typed local times, the body schema. */
import { describe, expect, it } from 'vitest';
import { ACTION_MODULES, bodySchemaOf } from '../../src/web/participant/registry.ts';
import { instantFromLocalInput, proposeSlots } from '../../src/web/participant/check-in-slots.ts';
import { crossSiteReason } from '../../src/web/participant/same-origin.ts';
import { testPolicy } from '../support/policy.ts';

describe('the cross-site guard', () => {
  const site = 'https://mentoring.example.edu';
  it('lets our own forms through, and clients that send neither header', () => {
    expect(crossSiteReason({ origin: site }, site)).toBeNull();
    expect(crossSiteReason({ origin: 'null', 'sec-fetch-site': 'same-origin' }, site)).toBeNull();
    expect(crossSiteReason({ 'sec-fetch-site': 'same-origin' }, site)).toBeNull();
    expect(crossSiteReason({}, site)).toBeNull();
  });
  it('refuses other sites, sibling subdomains and opaque origins without fetch metadata', () => {
    expect(crossSiteReason({ origin: 'https://evil.example' }, site)).toMatch(/Origin/);
    expect(crossSiteReason({ origin: 'http://mentoring.example.edu' }, site)).toMatch(/Origin/);
    expect(crossSiteReason({ 'sec-fetch-site': 'same-site' }, site)).toMatch(/same-site/);
    expect(crossSiteReason({ 'sec-fetch-site': 'cross-site', origin: site }, site)).toMatch(/cross-site/);
    expect(crossSiteReason({ origin: 'null' }, site)).toMatch(/opaque/);
  });
});

describe('times typed into a datetime-local field', () => {
  it('reads them in the person’s zone, across daylight saving', () => {
    expect(new Date(instantFromLocalInput('2026-12-03T14:30', 'America/New_York')!).toISOString()).toBe('2026-12-03T19:30:00.000Z');
    expect(new Date(instantFromLocalInput('2026-07-03T14:30', 'America/New_York')!).toISOString()).toBe('2026-07-03T18:30:00.000Z');
    expect(new Date(instantFromLocalInput('2026-12-03T09:00', 'Asia/Tokyo')!).toISOString()).toBe('2026-12-03T00:00:00.000Z');
    // 02:30 does not exist on the spring-forward night: it moves on to 03:30 EDT, as calendars do.
    expect(new Date(instantFromLocalInput('2026-03-08T02:30', 'America/New_York')!).toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });
  it('refuses what is not a date and time', () => {
    for (const v of ['', 'tomorrow', '2026-02-30T10:00', '2026-13-01T10:00', '2026-12-03T24:00', '2026-12-03 14:30'])
      expect(instantFromLocalInput(v, 'UTC'), v).toBeNull();
  });
});

describe('offered check-in times', () => {
  const policy = testPolicy();
  const day = 86_400_000;
  const anchor = Date.parse('2026-09-01T14:00:00Z');
  const base = {
    policy,
    zone: 'America/New_York',
    anchorMs: anchor,
    cadenceDays: 14,
    localTime: '10:00',
    windowOpensAt: anchor + 21 * day,
    windowDueAt: anchor + 91 * day,
    count: 4,
  };
  it('are the next meetings at the agreed cadence and local time, inside the window, without the booked one', () => {
    const now = anchor + 30 * day;
    const slots = proposeSlots({ ...base, nowMs: now });
    expect(slots).toHaveLength(4);
    for (const s of slots) {
      expect(s.startsAt).toBeGreaterThan(now);
      expect(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(s.startsAt)).toBe(
        '10:00',
      );
      expect(s.endsAt - s.startsAt).toBe(45 * 60_000);
    }
    expect(Math.round((slots[1]!.startsAt - slots[0]!.startsAt) / day)).toBe(14);
    const withoutFirst = proposeSlots({ ...base, nowMs: now, bookedStartsAt: slots[0]!.startsAt });
    expect(withoutFirst.map((s) => s.startsAt)).not.toContain(slots[0]!.startsAt);
    expect(withoutFirst[0]!.startsAt).toBe(slots[1]!.startsAt);
  });
  it('stop at the end of the window', () => {
    const late = proposeSlots({ ...base, nowMs: anchor + 80 * day });
    expect(late).toHaveLength(1);
    for (const s of late) expect(s.endsAt).toBeLessThanOrEqual(base.windowDueAt);
  });
});

describe('the POST body schema', () => {
  it('lists every field of every action page as a bounded string', () => {
    const schema = bodySchemaOf(Object.values(ACTION_MODULES)) as { properties: Record<string, { type: string; maxLength: number }> };
    for (const name of [
      'meeting_cadence_days',
      'response',
      'message',
      'slot',
      'other_start',
      'intent',
      'outcome',
      'training_goals',
      'mentor_review',
      'resource',
    ]) {
      expect(schema.properties[name], name).toMatchObject({ type: 'string' });
      expect(schema.properties[name]!.maxLength).toBeGreaterThan(0);
    }
    // "message" is on two pages with different limits: the looser one wins, and the page checks its own.
    expect(schema.properties.message!.maxLength).toBe(10_000);
  });
});
