/**
 * What time alone does to a cycle: steps open, reminders go out before due dates, the
 * escalation ladder climbs while a step stalls, check-ins ask "did you meet?", the
 * feedback window closes. Pure: given the state and "now", it mutates the state and
 * returns the effects; `nextWakeAt` says when to look again.
 */
import { anchorForRungAt, isLadderStep, nextRung, stallRungIndex } from '../domain/ladder.ts';
import { proposeMeeting, withdrawMeetingsBetween } from './check-in-calendar.ts';
import { checkInWindowJitterHours, policyDaysToMs, type Policy } from '../domain/policy.ts';
import type { CycleState, Step } from './cycle-state.ts';
import { audienceFor, type Effect } from './effects.ts';

const RUNG_MESSAGE = {
  'remind-owner': 'ladder-remind-owner',
  'remind-both': 'ladder-remind-both',
  'notify-coordinator': 'ladder-coordinator-stalled',
  'refer-resource': 'ladder-referral',
} as const;

const isoDate = (ms: number) => new Date(ms).toISOString();

function reminderTimes(policy: Policy, step: Step): number[] {
  // Largest lead first: the 7-day reminder comes before the 1-day one.
  return [...policy.remindBeforeDueDays].sort((a, b) => b - a).map((d) => step.dueAt - policyDaysToMs(policy, d));
}

function askOutcomeAt(policy: Policy, step: Step): number | null {
  if (!step.meeting || step.outcomeAsked || step.phase !== 'scheduled') return null;
  return step.meeting.endsAt + policyDaysToMs(policy, policy.meetings.askOutcomeAfterHours / 24);
}

/** FNV-1a of a string: a stable spread of ids, the same in every run and replay. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** How much later than planned this cycle's check-in windows open: fixed by its id, from 0 to the policy's jitter. */
export function windowJitterMs(policy: Pick<Policy, 'checkInWindowJitterHours' | 'timeCompression'>, cycleId: string): number {
  const max = Math.floor(policyDaysToMs(policy, checkInWindowJitterHours(policy) / 24));
  return max <= 0 ? 0 : fnv1a(cycleId) % (max + 1);
}

/**
 * Spreads a cohort's quarterly wake-up: each planned check-in window of this cycle opens
 * windowJitterMs later (never past its due date, which stays). Called once, on the year's plan.
 * With `trainingGoals`, the training-goal re-visit, which shares its check-in's window, moves
 * with it: otherwise the cohort still wakes at once that quarter, for the re-visit alone.
 */
export function jitterCheckInWindows(policy: Policy, state: CycleState, cycleId: string, options: { trainingGoals: boolean }): void {
  const jitter = windowJitterMs(policy, cycleId);
  const moves = (step: Step) => step.kind === 'check-in' || (options.trainingGoals && step.kind === 'training-goals');
  for (const step of state.steps) if (moves(step) && step.state === 'planned') step.opensAt = Math.min(step.opensAt + jitter, step.dueAt);
}

/** Opening a step: who owes it first, and what to send. */
export function openStep(policy: Policy, state: CycleState, step: Step, now: number, zone: string): Effect[] {
  step.state = 'open';
  const effects: Effect[] = [{ type: 'event', step: step.id, kind: 'step-opened', detail: { dueAt: isoDate(step.dueAt) } }];
  const facts = { dueAt: isoDate(step.dueAt) };
  switch (step.kind) {
    case 'expectations':
      step.phase = 'awaiting-share';
      step.owedBy = 'mentor';
      effects.push({ type: 'notify', step: step.id, kind: 'expectations-requested', audience: ['mentor', 'mentee'], sequence: 0, facts });
      break;
    case 'check-in': {
      step.owedBy = 'both';
      step.phase = 'awaiting-schedule';
      const invite = proposeMeeting(policy, state, step, now, zone);
      if (invite) {
        step.phase = 'scheduled';
        step.owedBy = null;
        effects.push(invite);
      }
      effects.push({
        type: 'notify',
        step: step.id,
        kind: 'check-in-window-open',
        audience: ['mentor', 'mentee'],
        sequence: 0,
        facts: { ...facts, startsAt: step.meeting ? isoDate(step.meeting.startsAt) : null, endsAt: step.meeting ? isoDate(step.meeting.endsAt) : null },
      });
      break;
    }
    case 'training-goals':
      step.phase = 'awaiting-goals';
      step.owedBy = 'mentee';
      effects.push({ type: 'notify', step: step.id, kind: 'training-goals-due', audience: ['mentee'], sequence: 0, facts });
      break;
    case 'feedback':
      step.phase = 'awaiting-feedback';
      step.owedBy = 'both';
      effects.push({ type: 'notify', step: step.id, kind: 'feedback-requested', audience: ['mentor', 'mentee'], sequence: 0, facts });
      break;
    case 'evaluation':
      step.phase = 'producing';
      step.owedBy = null;
      effects.push({ type: 'evaluate' });
      break;
  }
  return effects;
}

/** Closes a step; a stalled cycle recovers as soon as its step completes. */
export function closeStep(step: Step, state: Step['state'], phase: string): Effect[] {
  step.state = state;
  step.phase = phase;
  step.owedBy = null;
  step.snoozedUntil = null;
  return [{ type: 'event', step: step.id, kind: `step-${state}`, detail: { phase } }];
}

/** Applies everything that is due at `now`. Nothing happens while the cycle is paused or ended. */
export function advance(policy: Policy, state: CycleState, now: number, zone: string): Effect[] {
  if (state.ended || state.paused) return [];
  const effects: Effect[] = [];
  for (const step of state.steps) {
    if (step.state === 'planned' && now >= step.opensAt) effects.push(...openStep(policy, state, step, now, zone));
    if (step.state !== 'open') continue;

    if (step.kind === 'evaluation') continue; // closed by the evaluation activity's result
    if (step.kind === 'feedback' && now >= step.dueAt) {
      effects.push(...closeStep(step, step.submitted.length === 2 ? 'completed' : 'closed', 'window-closed'));
      effects.push({ type: 'notify', step: step.id, kind: 'feedback-released', audience: ['mentor', 'mentee'], sequence: 0 });
      continue;
    }

    const outcomeAt = askOutcomeAt(policy, step);
    if (outcomeAt !== null && now >= outcomeAt) {
      step.outcomeAsked = true;
      step.phase = 'awaiting-outcome';
      step.owedBy = 'both';
      effects.push({ type: 'notify', step: step.id, kind: 'check-in-outcome-requested', audience: ['mentor', 'mentee'], sequence: step.meeting!.revision });
    }

    // Friendly reminders before the due date, to whoever owes the step (never more than once each).
    const reminders = reminderTimes(policy, step);
    while (step.remindersSent < reminders.length && now >= reminders[step.remindersSent]! && now < step.dueAt) {
      if (step.owedBy !== null) {
        effects.push({
          type: 'notify',
          step: step.id,
          kind: 'reminder-before-due',
          audience: audienceFor(step.owedBy),
          sequence: step.remindersSent,
          facts: { dueAt: isoDate(step.dueAt), owedBy: step.owedBy, phase: step.phase },
        });
      }
      step.remindersSent++;
    }
    if (now >= step.dueAt) step.remindersSent = reminders.length;

    // The ladder: each rung fired once and recorded. A late wake-up (a worker that was down)
    // fires every rung that came due meanwhile, so none is lost; none fires past the year's end.
    if (!isLadderStep(step.kind) || now < step.dueAt || step.owedBy === null) continue;
    if (step.snoozedUntil !== null) {
      if (now < step.snoozedUntil) continue;
      step.ladderAnchor = anchorForRungAt(policy, step.kind, step.rungsFired, step.snoozedUntil);
      step.snoozedUntil = null;
    }
    for (
      let next = nextRung(policy, step.kind, step.ladderAnchor, step.rungsFired);
      next && now >= next.firesAt && next.firesAt < state.yearEndsAt;
      next = nextRung(policy, step.kind, step.ladderAnchor, step.rungsFired)
    ) {
      step.rungsFired++;
      const audience =
        next.rung.rung === 'remind-owner'
          ? audienceFor(step.owedBy)
          : next.rung.rung === 'remind-both'
            ? audienceFor('both')
            : next.rung.rung === 'notify-coordinator'
              ? ['coordinators' as const]
              : ['referral-resource' as const];
      if (next.index >= stallRungIndex(policy, step.kind) && step.stalledSince === null) step.stalledSince = now;
      effects.push({ type: 'event', step: step.id, kind: 'ladder-rung', detail: { rung: next.rung.rung, index: next.index } });
      effects.push({
        type: 'notify',
        step: step.id,
        kind: RUNG_MESSAGE[next.rung.rung],
        audience,
        sequence: next.index,
        facts: {
          dueAt: isoDate(step.dueAt),
          rung: next.rung.rung,
          owedBy: step.owedBy,
          stalledSince: step.stalledSince === null ? null : isoDate(step.stalledSince),
        },
      });
    }
  }
  return effects;
}

/**
 * The year is over: whatever is still open lapses (its stall stays on the timeline), so the
 * next year starts clean rather than inheriting last year's ladder. A check-in booked into
 * the future is withdrawn from both calendars first: it will not be held as this year's.
 */
export function endYear(state: CycleState, now: number = state.yearEndsAt): Effect[] {
  const effects: Effect[] = [...withdrawMeetingsBetween(state, now, Number.POSITIVE_INFINITY, 'year-ended').effects];
  for (const step of state.steps) {
    if (step.state === 'open' || step.state === 'planned') effects.push(...closeStep(step, 'closed', 'lapsed-at-year-end'));
  }
  return [...effects, { type: 'event', step: null, kind: 'year-ended' }];
}

/** The next instant at which `advance` would do something, or null (wait for an action). */
export function nextWakeAt(policy: Policy, state: CycleState, now: number): number | null {
  if (state.ended) return null;
  if (state.paused) return state.paused.until;
  const times: number[] = [];
  for (const step of state.steps) {
    if (step.state === 'planned') times.push(step.opensAt);
    if (step.state !== 'open') continue;
    if (step.kind === 'feedback') times.push(step.dueAt);
    const outcomeAt = askOutcomeAt(policy, step);
    if (outcomeAt !== null) times.push(outcomeAt);
    const reminders = reminderTimes(policy, step);
    if (step.remindersSent < reminders.length && step.owedBy !== null) times.push(Math.min(reminders[step.remindersSent]!, step.dueAt));
    if (isLadderStep(step.kind) && step.owedBy !== null) {
      if (step.snoozedUntil !== null && step.snoozedUntil > now) times.push(step.snoozedUntil);
      else {
        const next = nextRung(policy, step.kind, step.ladderAnchor, step.rungsFired);
        if (next && next.firesAt < state.yearEndsAt) times.push(Math.max(next.firesAt, step.dueAt));
      }
    }
  }
  times.push(state.yearEndsAt);
  return Math.min(...times);
}
