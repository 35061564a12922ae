import { describe, expect, it } from 'vitest';
import { wallClock, zonedTimeToInstant } from '../../src/domain/zoned-time.ts';

const NY = 'America/New_York';

describe('wall-clock time in a zone', () => {
  it('finds 10:00 in New York on both sides of a daylight-saving change', () => {
    expect(new Date(zonedTimeToInstant({ year: 2026, month: 11, day: 2 }, 10, 0, NY)).toISOString()).toBe('2026-11-02T15:00:00.000Z'); // EST
    expect(new Date(zonedTimeToInstant({ year: 2026, month: 10, day: 30 }, 10, 0, NY)).toISOString()).toBe('2026-10-30T14:00:00.000Z'); // EDT
  });

  it('moves a time skipped by spring-forward on by the gap, as calendar applications do', () => {
    // 2027-03-14 02:30 does not exist in New York: clocks jump from 02:00 EST to 03:00 EDT.
    const t = zonedTimeToInstant({ year: 2027, month: 3, day: 14 }, 2, 30, NY);
    expect(new Date(t).toISOString()).toBe('2027-03-14T07:30:00.000Z');
    expect(wallClock(t, NY)).toMatchObject({ hour: 3, minute: 30 });
  });

  it('takes the earlier of the two instants in a fall-back overlap', () => {
    // 2026-11-01 01:30 happens twice in New York; the first is EDT (UTC-4).
    expect(new Date(zonedTimeToInstant({ year: 2026, month: 11, day: 1 }, 1, 30, NY)).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('works for zones east of Greenwich and with half-hour offsets', () => {
    expect(new Date(zonedTimeToInstant({ year: 2026, month: 7, day: 1 }, 9, 0, 'Europe/Berlin')).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(new Date(zonedTimeToInstant({ year: 2026, month: 7, day: 1 }, 9, 0, 'Asia/Kolkata')).toISOString()).toBe('2026-07-01T03:30:00.000Z');
  });
});

/**
 * What Intl itself reads at an instant (as the UTC instant with those fields), by another route
 * than the code under test: the zone's offset as Intl names it ("GMT-04:00").
 */
const offsetNamers = new Map<string, Intl.DateTimeFormat>();
function intlReading(instantMs: number, zone: string) {
  const namer = offsetNamers.get(zone) ?? new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  offsetNamers.set(zone, namer);
  const name = namer.formatToParts(new Date(instantMs)).find((p) => p.type === 'timeZoneName')!.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m) throw new Error(`unexpected offset name ${name}`);
  const offsetMs = m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  return Math.floor(instantMs / 1000) * 1000 + offsetMs;
}

/** A wall-clock reading as the UTC instant with the same fields, to compare with intlReading. */
const readingOf = (w: ReturnType<typeof wallClock>) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

describe('the cached offsets', () => {
  // Zones with 30-minute shifts, 45-minute offsets, transitions at local midnight, several a year, or 2 hours at once.
  const zones = [
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'America/Santiago',
    'Africa/Casablanca',
    'Antarctica/Troll',
    'America/St_Johns',
    'Europe/Dublin',
    'UTC',
  ];

  it('read every instant around every transition of 2020–2030 exactly as Intl does', () => {
    const HOUR = 3_600_000;
    for (const zone of zones) {
      const offset = (t: number) => intlReading(t, zone) - Math.floor(t / 1000) * 1000;
      let transitions = 0;
      for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2031, 0, 1); t += 24 * HOUR) {
        if (offset(t) === offset(t + 24 * HOUR)) continue;
        // Narrow the change down to the second, then check the minutes either side of it.
        let [lo, hi] = [t, t + 24 * HOUR];
        while (hi - lo > 1000) {
          const mid = Math.floor((lo + hi) / 2000) * 1000;
          if (offset(mid) === offset(lo)) lo = mid;
          else hi = mid;
        }
        transitions++;
        for (let probe = hi - 20 * 60_000; probe <= hi + 20 * 60_000; probe += 37_000) {
          expect(readingOf(wallClock(probe, zone)), `${zone} at ${new Date(probe).toISOString()}`).toBe(intlReading(probe, zone));
        }
        for (const probe of [hi - 1000, hi - 1, hi, hi + 1, hi + 999])
          expect(readingOf(wallClock(probe, zone)), `${zone} at ${probe}`).toBe(intlReading(probe, zone));
      }
      if (zone !== 'UTC' && zone !== 'Asia/Kathmandu') expect(transitions, zone).toBeGreaterThan(10);
    }
  });

  it('read arbitrary instants, milliseconds included, exactly as Intl does', () => {
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 5_000; i++) {
      const zone = zones[i % zones.length]!;
      const t = Math.floor(Date.UTC(1990, 0, 1) + random() * (Date.UTC(2045, 0, 1) - Date.UTC(1990, 0, 1)));
      expect(readingOf(wallClock(t, zone)), `${zone} at ${t}`).toBe(intlReading(t, zone));
    }
  });
});
