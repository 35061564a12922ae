/**
 * VTIMEZONE components generated from the runtime's own time-zone database (Intl), so an
 * invite carries the definition of its TZID as the runtime knows it today, with no table
 * of rules to keep up to date by hand.
 *
 * We scan the zone's UTC offset across the years the events touch, find every transition
 * to the minute, and write one STANDARD/DAYLIGHT observance per transition (explicit
 * DTSTART, no RRULE): valid RFC 5545, exact for the dates that matter, and immune to rule
 * changes a recurrence rule would misstate.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, f);
  }
  return f;
}

/** Minutes east of UTC in `zone` at `instantMs`. */
export function utcOffsetMinutes(zone: string, instantMs: number): number {
  const name = offsetFormatter(zone)
    .formatToParts(instantMs)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name ?? '');
  if (!m) throw new Error(`cannot read the UTC offset of time zone ${zone} (got ${JSON.stringify(name)})`);
  if (!m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const abbreviationFormatters = new Map<string, Intl.DateTimeFormat>();

function abbreviation(zone: string, instantMs: number): string | null {
  let f = abbreviationFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
    abbreviationFormatters.set(zone, f);
  }
  const name = f.formatToParts(instantMs).find((p) => p.type === 'timeZoneName')?.value;
  // "EST" is useful to a reader; "GMT+1" says nothing TZOFFSETTO does not.
  return name && /^[A-Z]{2,5}$/.test(name) ? name : null;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** Local wall time as iCalendar DATE-TIME (no zone suffix). */
function localStamp(instantMs: number, offsetMinutes: number): string {
  return new Date(instantMs + offsetMinutes * 60_000).toISOString().replace(/[-:]/g, '').slice(0, 15);
}

interface Transition {
  atMs: number;
  from: number;
  to: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

function transitions(zone: string, fromMs: number, toMs: number): Transition[] {
  const found: Transition[] = [];
  // Offsets change at most a few times a year and never twice within 6 hours.
  const step = 6 * HOUR;
  let previousAt = fromMs;
  let previous = utcOffsetMinutes(zone, fromMs);
  for (let t = fromMs + step; t <= toMs + step; t += step) {
    const offset = utcOffsetMinutes(zone, t);
    if (offset !== previous) {
      let lo = previousAt;
      let hi = t;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE || lo + MINUTE;
        if (utcOffsetMinutes(zone, mid) === previous) lo = mid;
        else hi = mid;
      }
      found.push({ atMs: hi, from: previous, to: offset });
      previous = offset;
    }
    previousAt = t;
  }
  return found;
}

// The scan costs thousands of Intl calls; a quarter's burst asks for the same few zones and
// years thousands of times, so each (zone, years) is computed once per process.
const generated = new Map<string, string>();

/**
 * The VTIMEZONE for `zone` covering every instant from the start of the year before
 * `fromMs` to the end of the year after `toMs`.
 */
export function vtimezone(zone: string, fromMs: number, toMs: number): string {
  const startYear = new Date(fromMs).getUTCFullYear() - 1;
  const endYear = new Date(toMs).getUTCFullYear() + 1;
  const key = `${zone}|${startYear}|${endYear}`;
  let text = generated.get(key);
  if (text === undefined) {
    text = generate(zone, startYear, endYear);
    generated.set(key, text);
  }
  return text;
}

function generate(zone: string, startYear: number, endYear: number): string {
  const windowStart = Date.UTC(startYear, 0, 1);
  const windowEnd = Date.UTC(endYear + 1, 0, 1);
  const found = transitions(zone, windowStart, windowEnd);
  const initial = utcOffsetMinutes(zone, windowStart);
  const offsets = [initial, ...found.map((t) => t.to)];
  // Standard time is the smallest offset in use; anything above it is daylight saving.
  const standard = Math.min(...offsets);
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', atMs: number, from: number, to: number) =>
    [
      `BEGIN:${kind}`,
      `DTSTART:${localStamp(atMs, from)}`,
      `TZOFFSETFROM:${formatOffset(from)}`,
      `TZOFFSETTO:${formatOffset(to)}`,
      ...(abbreviation(zone, atMs) ? [`TZNAME:${abbreviation(zone, atMs)}`] : []),
      `END:${kind}`,
    ].join('\r\n');
  const lines = [
    'BEGIN:VTIMEZONE',
    `TZID:${zone}`,
    observance(initial > standard ? 'DAYLIGHT' : 'STANDARD', windowStart, initial, initial),
    ...found.map((t) => observance(t.to > standard ? 'DAYLIGHT' : 'STANDARD', t.atMs, t.from, t.to)),
    'END:VTIMEZONE',
  ];
  return lines.join('\r\n');
}
