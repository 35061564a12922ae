/**
 * The times a check-in page offers: the next few regular meetings at the pair's agreed
 * cadence and local time (src/domain/check-in-slot.ts) that fall in the check-in's window
 * and are still ahead, without the time already booked. Pure.
 */
import { proposeCheckInSlot, type Slot } from '../../domain/check-in-slot.ts';
import { policyDaysToMs, type Policy } from '../../domain/policy.ts';
import { zonedTimeToInstant } from '../../domain/zoned-time.ts';

export function proposeSlots(args: {
  policy: Policy;
  zone: string;
  anchorMs: number;
  cadenceDays: number;
  localTime: string;
  windowOpensAt: number;
  windowDueAt: number;
  nowMs: number;
  /** The meeting already booked, left out of the offer. */
  bookedStartsAt?: number | null;
  count: number;
}): Slot[] {
  const slots: Slot[] = [];
  const length = meetingLengthMs(args.policy);
  let from = args.nowMs;
  for (let i = 0; i < args.count * 3 && slots.length < args.count; i++) {
    const slot = proposeCheckInSlot({ ...args, nowMs: from });
    // When no regular meeting is left, the proposer falls back to "the first free moment"; that is no time to offer.
    const fallback = slot.startsAt === Math.max(args.windowOpensAt, from) || slot.startsAt === args.windowDueAt - length;
    if (fallback || slot.startsAt < args.nowMs || slot.endsAt > args.windowDueAt || slots.some((s) => s.startsAt === slot.startsAt)) break;
    if (slot.startsAt !== args.bookedStartsAt) slots.push(slot);
    from = slot.startsAt + 1;
  }
  return slots;
}

/** How long a check-in lasts in real time under this policy (compressed in tests and demos). */
export function meetingLengthMs(policy: Policy): number {
  return policyDaysToMs(policy, policy.meetings.durationMinutes / (24 * 60));
}

/** "2026-12-03T14:30" typed into a datetime-local field, read in the person's zone; null if it is not such a time. */
export function instantFromLocalInput(value: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1) return null;
  return zonedTimeToInstant({ year, month, day }, hour, minute, zone);
}
