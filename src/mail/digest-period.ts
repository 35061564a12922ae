/**
 * When a digest period starts and ends. Pure, shared by the digest store and its tests.
 *
 * In real time (timeCompression 1) periods follow the recipient's own calendar: a daily
 * digest covers one local day from midnight, a weekly one a local week from Monday midnight,
 * so it arrives at the start of their day. Under a compressed policy (tests, demos) a local
 * calendar means nothing, so a period opens with the first message held and lasts the
 * compressed day or week.
 */
import { addLocalDays, localDateOf, zonedTimeToInstant } from '../domain/zoned-time.ts';

export type DigestFrequency = 'daily' | 'weekly';
export const DIGEST_FREQUENCIES: readonly DigestFrequency[] = ['daily', 'weekly'];

export interface DigestClock {
  /** The recipient's IANA zone. */
  timeZone: string;
  /** The policy's compression: policy seconds per real second. */
  timeCompression: number;
}

const DAY_MS = 86_400_000;

export function digestPeriodLengthMs(frequency: DigestFrequency, clock: Pick<DigestClock, 'timeCompression'>): number {
  return ((frequency === 'daily' ? 1 : 7) * DAY_MS) / clock.timeCompression;
}

/** The period a message held at `atMs` belongs to, when no period of the recipient is open. */
export function digestPeriodAt(frequency: DigestFrequency, atMs: number, clock: DigestClock): { startsAt: number; endsAt: number } {
  if (clock.timeCompression !== 1) return { startsAt: atMs, endsAt: atMs + digestPeriodLengthMs(frequency, clock) };
  const today = localDateOf(atMs, clock.timeZone);
  // Monday-based weeks: getUTCDay of the local date, 0 = Sunday.
  const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
  const first = frequency === 'daily' ? today : addLocalDays(today, -((weekday + 6) % 7));
  const next = addLocalDays(first, frequency === 'daily' ? 1 : 7);
  return { startsAt: zonedTimeToInstant(first, 0, 0, clock.timeZone), endsAt: zonedTimeToInstant(next, 0, 0, clock.timeZone) };
}
