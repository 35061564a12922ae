/**
 * A check-in's calendar state, kept in one place: the meeting (or none) and one revision
 * counter that only rises. Every change — book, move, cancel, book again, pause, resume,
 * end of pair, end of year — goes through here and returns the one invite that brings
 * every copy and the feed to the new state: the same UID (cycle + step, made by the
 * invite activity), and a revision above every earlier one, which becomes a higher
 * SEQUENCE. Pure: no Temporal APIs.
 */
import { proposeCheckInSlot } from '../domain/check-in-slot.ts';
import { policyDaysToMs, type Policy } from '../domain/policy.ts';
import type { CycleState, Step } from './cycle-state.ts';
import type { WithdrawReason } from '../activities/types.ts';
import type { Effect } from './effects.ts';

/** How long after an overdue check-in's window a new time may still be booked. */
export const OVERDUE_GRACE_DAYS = 14;

/**
 * The next revision of this check-in's calendar identity. Counted on the step, not on the
 * meeting: a cancel clears the meeting, and a booking after it must still rise above the
 * cancel's revision, or the invite activity would take it for a late, older change.
 */
export function nextRevision(step: Step): number {
  step.calendarRevision = Math.max(step.calendarRevision ?? 0, step.meeting?.revision ?? 0) + 1;
  return step.calendarRevision;
}

/** Books (or moves) the meeting: a REQUEST. */
export function bookMeeting(step: Step, startsAt: number, endsAt: number): Effect {
  const revision = nextRevision(step);
  step.meeting = { startsAt, endsAt, revision };
  step.outcomeAsked = false;
  return { type: 'invite', step: step.id, method: 'REQUEST', startsAt, endsAt, revision };
}

/** Withdraws a booked meeting that has not been held: a CANCEL; the step no longer has a meeting. */
export function withdrawMeeting(step: Step, because?: WithdrawReason): Effect | null {
  const meeting = step.meeting;
  if (!meeting || step.phase !== 'scheduled') return null;
  const revision = nextRevision(step);
  step.meeting = null;
  return {
    type: 'invite',
    step: step.id,
    method: 'CANCEL',
    startsAt: meeting.startsAt,
    endsAt: meeting.endsAt,
    revision,
    ...(because ? { withdrawnBecause: because } : {}),
  };
}

/**
 * Cancels every booked, unheld meeting of an unfinished check-in that starts in [from, to):
 * what a year end, a pair's end or a pause does to the calendars. Returns the steps touched.
 */
export function withdrawMeetingsBetween(state: CycleState, from: number, to: number, because: WithdrawReason): { effects: Effect[]; steps: Step[] } {
  const effects: Effect[] = [];
  const steps: Step[] = [];
  for (const step of state.steps) {
    if (step.kind !== 'check-in' || (step.state !== 'open' && step.state !== 'planned')) continue;
    if (!step.meeting || step.meeting.startsAt < from || step.meeting.startsAt >= to) continue;
    const cancel = withdrawMeeting(step, because);
    if (!cancel) continue;
    effects.push({ type: 'event', step: step.id, kind: 'check-in-withdrawn', detail: { revision: step.calendarRevision ?? 0 } }, cancel);
    steps.push(step);
  }
  return { effects, steps };
}

/** Proposes the next regular meeting inside the step's window from the agreed cadence, when there is one. */
export function proposeMeeting(policy: Policy, state: CycleState, step: Step, now: number, zone: string): Effect | null {
  if (!state.agreement) return null;
  const slot = proposeCheckInSlot({
    policy,
    zone,
    anchorMs: state.agreement.agreedAt,
    cadenceDays: state.agreement.cadenceDays,
    localTime: state.agreement.localTime,
    windowOpensAt: step.opensAt,
    windowDueAt: step.dueAt,
    nowMs: now,
  });
  return bookMeeting(step, slot.startsAt, slot.endsAt);
}

/**
 * When a check-in may be booked: inside its window (the policy keeps windows inside the
 * year). Once the window has passed (an overdue check-in the pair still has to hold), within
 * OVERDUE_GRACE_DAYS from now, and not past the year's end.
 */
export function bookingWindow(policy: Policy, state: CycleState, step: Step, now: number): { from: number; to: number } {
  if (now < step.dueAt) return { from: step.opensAt, to: step.dueAt };
  return { from: step.opensAt, to: Math.min(now + policyDaysToMs(policy, OVERDUE_GRACE_DAYS), state.yearEndsAt) };
}

/** A window bound as the participant reads it: a date in the pair's zone (with the time when days are compressed). */
export function windowBound(policy: Policy, ms: number, zone: string): string {
  const date = new Date(ms);
  const options: Intl.DateTimeFormatOptions = { timeZone: zone, year: 'numeric', month: 'long', day: 'numeric' };
  if (policy.timeCompression !== 1) Object.assign(options, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
  return date.toLocaleString('en-US', options);
}
