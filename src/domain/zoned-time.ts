/**
 * Wall-clock time in a named zone, from Intl alone (deterministic, no I/O), so meeting
 * times stay at "10:00 in New York" across daylight-saving changes.
 */

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset at an instant as Intl reads it: the slow, exact path (`formatToParts`). */
function exactOffsetMs(instantMs: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * Offsets change at most once in any quarter hour (transitions are months apart), so when a
 * quarter hour starts and ends on the same offset, every instant inside it has that offset.
 * The boundaries' offsets are kept per zone: a year's plan asks about the same few days many
 * times, and `formatToParts` is the workflow's costliest call. A quarter hour with a
 * transition inside falls back to the exact path.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const boundaryOffsets = new Map<string, Map<number, number>>();

function offsetAtBoundary(boundaryMs: number, zone: string): number {
  let known = boundaryOffsets.get(zone);
  if (!known) boundaryOffsets.set(zone, (known = new Map()));
  let offset = known.get(boundaryMs);
  if (offset === undefined) {
    offset = exactOffsetMs(boundaryMs, zone);
    if (known.size > 10_000) known.clear(); // a long-lived process asking about many instants
    known.set(boundaryMs, offset);
  }
  return offset;
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(instantMs: number, zone: string): number {
  const start = Math.floor(instantMs / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const before = offsetAtBoundary(start, zone);
  return before === offsetAtBoundary(start + QUARTER_HOUR_MS, zone) ? before : exactOffsetMs(instantMs, zone);
}

/** The zone's wall-clock reading at an instant. */
export function wallClock(instantMs: number, zone: string): LocalDate & { hour: number; minute: number; second: number } {
  const local = new Date(Math.floor(instantMs / 1000) * 1000 + zoneOffsetMs(instantMs, zone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/**
 * The instant at which the zone's clocks read the given local date and time. In a
 * spring-forward gap the time does not exist: it moves forward by the gap's length
 * (02:30 becomes 03:30), as calendar applications do.
 * In a fall-back overlap the earlier of the two instants is chosen.
 */
export function zonedTimeToInstant(date: LocalDate, hour: number, minute: number, zone: string): number {
  const localAsUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // Two passes settle the offset on either side of a transition.
  const firstGuess = localAsUtc - zoneOffsetMs(localAsUtc, zone);
  const candidate = localAsUtc - zoneOffsetMs(firstGuess, zone);
  const earlier = localAsUtc - zoneOffsetMs(candidate - 3_600_000, zone);
  const reads = (t: number) => {
    const w = wallClock(t, zone);
    return w.year === date.year && w.month === date.month && w.day === date.day && w.hour === hour && w.minute === minute;
  };
  if (reads(earlier) && earlier < candidate) return earlier;
  if (reads(candidate)) return candidate;
  // A gap: read the local time with the offset in force before the jump.
  return localAsUtc - zoneOffsetMs(localAsUtc - 6 * 3_600_000, zone);
}

export function localDateOf(instantMs: number, zone: string): LocalDate {
  const { year, month, day } = wallClock(instantMs, zone);
  return { year, month, day };
}

export function addLocalDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function parseLocalTime(hhmm: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`"${hhmm}" is not a time of day HH:MM`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

// Building a DateTimeFormat costs about 0.1 ms; a roster repeats a handful of zones thousands of times.
const knownZones = new Map<string, boolean>();

/** Whether `zone` is an IANA zone Intl knows ("America/New_York"). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  let valid = knownZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    if (knownZones.size < 1_000) knownZones.set(zone, valid);
  }
  return valid;
}
