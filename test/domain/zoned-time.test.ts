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
