/**
 * Proposing a check-in slot from the pair's agreed meeting cadence: the first regular
 * meeting (every `cadenceDays` from the day expectations were agreed, at the agreed local
 * time) that falls inside the check-in's window and not in the past.
 */
import { afterPolicyDays } from './plan.ts';
import { policyDaysToMs, type Policy } from './policy.ts';
import { localDateOf, parseLocalTime, zonedTimeToInstant } from './zoned-time.ts';

export interface Slot {
  startsAt: number;
  endsAt: number;
}

/** The pair's agreed cadence and the check-in's window: what a slot is proposed from. */
export interface CheckInCadence {
  policy: Policy;
  zone: string;
  /** When the cadence was agreed: the first regular meeting is counted from here. */
  anchorMs: number;
  cadenceDays: number;
  localTime: string;
  windowOpensAt: number;
  windowDueAt: number;
  nowMs: number;
}

/** How long a check-in lasts in real time under this policy (compressed in tests and demos). */
export function meetingLengthMs(policy: Policy): number {
  return policyDaysToMs(policy, policy.meetings.durationMinutes / (24 * 60));
}

export function proposeCheckInSlot(args: CheckInCadence): Slot {
  const { policy, zone } = args;
  const durationMs = meetingLengthMs(policy);
  const earliest = Math.max(args.windowOpensAt, args.nowMs);
  const { hour, minute } = parseLocalTime(args.localTime);
  const occurrence = (k: number): number => {
    const day = afterPolicyDays(policy, args.anchorMs, k * args.cadenceDays, zone);
    if (policy.timeCompression !== 1) return day;
    return zonedTimeToInstant(localDateOf(day, zone), hour, minute, zone);
  };
  // Bounded: a year holds at most a few hundred occurrences of even a daily cadence.
  for (let k = 0; k < 800; k++) {
    const startsAt = occurrence(k);
    if (startsAt >= args.windowDueAt) break;
    if (startsAt >= earliest) return { startsAt, endsAt: startsAt + durationMs };
  }
  // The cadence skips this window (or it is nearly over): propose its first free moment.
  const startsAt = Math.min(earliest, args.windowDueAt - durationMs);
  return { startsAt, endsAt: startsAt + durationMs };
}
