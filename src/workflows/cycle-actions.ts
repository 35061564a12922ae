/**
 * What people do to a cycle, as pure functions: `check…` returns the reason an action
 * does not fit the cycle right now (shown on the participant's page), or null; `apply…`
 * changes the state and returns the effects. The workflow wires them to its Updates.
 */
import type { Policy } from '../domain/policy.ts';
import { checkInStepId } from '../domain/step-id.ts';
import { parseLocalTime } from '../domain/zoned-time.ts';
import { bookMeeting, bookingWindow, proposeMeeting, windowBound, withdrawMeeting, withdrawMeetingsBetween } from './check-in-calendar.ts';
import { closeStep } from './cycle-clock.ts';
import { shiftDeadlines, stepById, type CycleState, type Step } from './cycle-state.ts';
import type {
  CheckInOutcome,
  CheckInRef,
  Coordinator,
  EndPair,
  FeedbackSubmitted,
  Participant,
  PauseCycle,
  RespondToExpectations,
  ScheduleCheckIn,
  ShareExpectations,
  SnoozeEscalation,
  StepRef,
  TrainingGoalsUpdated,
} from './definitions.ts';
import { audienceFor, type Effect } from './effects.ts';

type Actor = Participant | Coordinator;
const iso = (ms: number) => new Date(ms).toISOString();

function live(state: CycleState): string | null {
  return state.ended ? 'This mentoring pair has ended; nothing more can be recorded for it.' : null;
}

/** `subject` is the step as a sentence would name it, article included ("the feedback window", "check-in 2"). */
function openStepOr(state: CycleState, id: string, subject: string): Step | string {
  const step = stepById(state, id);
  if (!step) return `There is no step "${id}" in this cycle.`;
  const Subject = subject.charAt(0).toUpperCase() + subject.slice(1);
  if (step.state === 'planned') return `${Subject} has not started yet; it opens on ${iso(step.opensAt).slice(0, 10)}.`;
  if (step.state !== 'open') return `${Subject} is already finished.`;
  return step;
}

function must(role: 'mentor' | 'mentee', actor: Actor, what: string): string | null {
  return actor.role === role ? null : `Only the ${role} can ${what}.`;
}

// ── Expectations ──────────────────────────────────────────────────────────────────

export function checkShareExpectations(state: CycleState, u: ShareExpectations): string | null {
  const step = openStepOr(state, 'expectations', 'the expectations step');
  if (typeof step === 'string') return live(state) ?? step;
  if (must('mentor', u.actor, 'share expectations')) return must('mentor', u.actor, 'share expectations');
  if (step.phase === 'shared') return 'Expectations are already shared and wait for the mentee’s answer.';
  if (!Number.isInteger(u.meetingCadenceDays) || u.meetingCadenceDays < 1 || u.meetingCadenceDays > 92) {
    return 'Meeting cadence must be a whole number of days between 1 and 92.';
  }
  try {
    parseLocalTime(u.meetingLocalTime);
  } catch {
    return 'Meeting time must be given as HH:MM.';
  }
  if (!['in-person', 'video', 'hybrid'].includes(u.meetingFormat)) return 'Meeting format must be in-person, video or hybrid.';
  if (!u.expectationsId) return 'The written expectations are missing.';
  return null;
}

export function applyShareExpectations(state: CycleState, u: ShareExpectations, now: number): Effect[] {
  const step = stepById(state, 'expectations')!;
  state.proposedAgreement = { cadenceDays: u.meetingCadenceDays, localTime: u.meetingLocalTime, format: u.meetingFormat, agreedAt: now };
  step.phase = 'shared';
  step.owedBy = 'mentee';
  return [
    {
      type: 'event',
      step: step.id,
      kind: 'expectations-shared',
      detail: { expectationsId: u.expectationsId, cadenceDays: u.meetingCadenceDays, round: step.rounds },
    },
    { type: 'notify', step: step.id, kind: 'expectations-shared', audience: ['mentee'], sequence: step.rounds },
  ];
}

export function checkRespondToExpectations(state: CycleState, u: RespondToExpectations, questioning: boolean): string | null {
  const step = openStepOr(state, 'expectations', 'the expectations step');
  if (typeof step === 'string') return live(state) ?? step;
  const verb = questioning ? 'question the expectations' : 'acknowledge the expectations';
  if (must('mentee', u.actor, verb)) return must('mentee', u.actor, verb);
  if (step.phase !== 'shared') return 'There are no shared expectations waiting for your answer yet.';
  if (questioning && !u.questionId) return 'The question is missing.';
  return null;
}

export function applyAcknowledgeExpectations(state: CycleState, now: number): Effect[] {
  const step = stepById(state, 'expectations')!;
  state.agreement = { ...state.proposedAgreement!, agreedAt: now };
  return [
    ...closeStep(step, 'completed', 'acknowledged'),
    { type: 'notify', step: step.id, kind: 'expectations-acknowledged', audience: ['mentor'], sequence: step.rounds },
  ];
}

export function applyQuestionExpectations(state: CycleState, u: RespondToExpectations): Effect[] {
  const step = stepById(state, 'expectations')!;
  const round = step.rounds;
  step.rounds++;
  step.phase = 'questioned';
  step.owedBy = 'mentor';
  return [
    { type: 'event', step: step.id, kind: 'expectations-questioned', detail: { questionId: u.questionId ?? null, round } },
    { type: 'notify', step: step.id, kind: 'expectations-questioned', audience: ['mentor'], sequence: round },
  ];
}

// ── Check-ins ─────────────────────────────────────────────────────────────────────

function checkInStep(state: CycleState, n: number): Step | string {
  if (!Number.isInteger(n)) return 'The check-in number must be a whole number.';
  return openStepOr(state, checkInStepId(n), `check-in ${n}`);
}

/** `zone`: the pair's zone, in which the refusal names the check-in's window. */
export function checkScheduleCheckIn(policy: Policy, state: CycleState, u: ScheduleCheckIn, now: number, zone = 'UTC'): string | null {
  const step = checkInStep(state, u.checkIn);
  if (typeof step === 'string') return live(state) ?? step;
  const startsAt = Date.parse(u.startsAt);
  const endsAt = Date.parse(u.endsAt);
  if (Number.isNaN(startsAt) || Number.isNaN(endsAt)) return 'The meeting needs a valid start and end time.';
  if (endsAt <= startsAt) return 'The meeting must end after it starts.';
  if (endsAt - startsAt > (8 * 3_600_000) / policy.timeCompression) return 'A check-in cannot last more than eight hours.';
  if (startsAt < now) return 'The meeting cannot start in the past.';
  if (step.phase === 'awaiting-outcome') return 'Please first say whether the last meeting took place.';
  if (step.meeting && step.meeting.startsAt === startsAt && step.meeting.endsAt === endsAt) return 'The check-in is already at that time.';
  const window = bookingWindow(policy, state, step, now);
  if (startsAt < window.from || endsAt > window.to) {
    return `Check-in ${u.checkIn} can only be booked inside its window, from ${windowBound(policy, window.from, zone)} to ${windowBound(policy, window.to, zone)}. Please choose a time in it.`;
  }
  return null;
}

export function applyScheduleCheckIn(state: CycleState, u: ScheduleCheckIn): Effect[] {
  const step = stepById(state, checkInStepId(u.checkIn))!;
  const startsAt = Date.parse(u.startsAt);
  const endsAt = Date.parse(u.endsAt);
  const wasMissed = step.phase === 'missed';
  step.withdrawnByPause = false;
  const invite = bookMeeting(step, startsAt, endsAt);
  const revision = step.calendarRevision!;
  const effects: Effect[] = [
    { type: 'event', step: step.id, kind: revision === 1 ? 'check-in-scheduled' : 'check-in-rescheduled', detail: { startsAt: iso(startsAt), revision } },
    invite,
  ];
  // A missed check-in that is rescheduled counts as done (DESIGN: "held, or explicitly missed and rescheduled").
  if (wasMissed) return [...effects, ...closeStep(step, 'completed', 'missed-and-rescheduled')];
  step.phase = 'scheduled';
  step.owedBy = null;
  return effects;
}

export function checkCancelCheckIn(state: CycleState, u: CheckInRef): string | null {
  const step = checkInStep(state, u.checkIn);
  if (typeof step === 'string') return live(state) ?? step;
  if (!step.meeting || step.phase !== 'scheduled') return 'There is no scheduled meeting to cancel.';
  return null;
}

export function applyCancelCheckIn(state: CycleState, u: CheckInRef): Effect[] {
  const step = stepById(state, checkInStepId(u.checkIn))!;
  const cancel = withdrawMeeting(step)!;
  step.phase = 'awaiting-schedule';
  step.owedBy = 'both';
  return [{ type: 'event', step: step.id, kind: 'check-in-cancelled', detail: { revision: step.calendarRevision ?? 0 } }, cancel];
}

export function checkRecordOutcome(state: CycleState, u: CheckInOutcome, now: number): string | null {
  const step = checkInStep(state, u.checkIn);
  if (typeof step === 'string') return live(state) ?? step;
  if (u.outcome !== 'held' && u.outcome !== 'missed') return 'The outcome must be "held" or "missed".';
  if (!step.meeting) return 'No meeting was scheduled for this check-in.';
  if (now < step.meeting.startsAt) return 'The meeting has not started yet.';
  return null;
}

export function applyRecordOutcome(state: CycleState, u: CheckInOutcome): Effect[] {
  const step = stepById(state, checkInStepId(u.checkIn))!;
  if (u.outcome === 'held') return closeStep(step, 'completed', 'held');
  const round = step.rounds;
  step.rounds++;
  step.phase = 'missed';
  step.owedBy = 'both';
  // Keep the meeting's revision so the next invite's SEQUENCE keeps rising.
  step.meeting = { ...step.meeting!, startsAt: step.meeting!.startsAt };
  return [
    { type: 'event', step: step.id, kind: 'check-in-missed', detail: { round } },
    { type: 'notify', step: step.id, kind: 'check-in-missed', audience: ['mentor', 'mentee'], sequence: round },
  ];
}

// ── Training goals ────────────────────────────────────────────────────────────────

export function checkUpdateGoals(state: CycleState, u: TrainingGoalsUpdated): string | null {
  const step = openStepOr(state, 'training-goals', 'the training-goal re-visit');
  if (typeof step === 'string') return live(state) ?? step;
  if (must('mentee', u.actor, 'update the training goals')) return must('mentee', u.actor, 'update the training goals');
  if (!u.goalsId) return 'The goals are missing.';
  return null;
}

export function applyUpdateGoals(state: CycleState, u: TrainingGoalsUpdated): Effect[] {
  const step = stepById(state, 'training-goals')!;
  const round = step.rounds;
  step.rounds++;
  step.phase = 'awaiting-review';
  step.owedBy = 'mentor';
  return [
    { type: 'event', step: step.id, kind: 'training-goals-updated', detail: { goalsId: u.goalsId, round } },
    { type: 'notify', step: step.id, kind: 'training-goals-updated', audience: ['mentor'], sequence: round },
  ];
}

export function checkReviewGoals(state: CycleState, actor: Participant): string | null {
  const step = openStepOr(state, 'training-goals', 'the training-goal re-visit');
  if (typeof step === 'string') return live(state) ?? step;
  if (must('mentor', actor, 'review the training goals')) return must('mentor', actor, 'review the training goals');
  if (step.phase !== 'awaiting-review') return 'The mentee has not updated the training goals yet.';
  return null;
}

export function applyReviewGoals(state: CycleState): Effect[] {
  const step = stepById(state, 'training-goals')!;
  return [...closeStep(step, 'completed', 'reviewed'), { type: 'notify', step: step.id, kind: 'training-goals-reviewed', audience: ['mentee'], sequence: 0 }];
}

// ── Feedback ──────────────────────────────────────────────────────────────────────

export function checkSubmitFeedback(state: CycleState, u: FeedbackSubmitted): string | null {
  const step = openStepOr(state, 'feedback', 'the feedback window');
  if (typeof step === 'string') return live(state) ?? step;
  if (u.actor.role !== 'mentor' && u.actor.role !== 'mentee') return 'Only the mentor or the mentee can give feedback.';
  if (step.submitted.includes(u.actor.role)) return 'You have already submitted your feedback for this year.';
  if (!u.feedbackId) return 'The feedback is missing.';
  return null;
}

export function applySubmitFeedback(state: CycleState, u: FeedbackSubmitted): Effect[] {
  const step = stepById(state, 'feedback')!;
  step.submitted.push(u.actor.role);
  // Only the fact of submission is recorded: never the feedback's id, text or ratings.
  const effects: Effect[] = [{ type: 'event', step: step.id, kind: 'feedback-submitted', detail: { by: u.actor.role } }];
  if (step.submitted.length === 2) {
    effects.push(...closeStep(step, 'completed', 'both-submitted'));
    effects.push({ type: 'notify', step: step.id, kind: 'feedback-released', audience: ['mentor', 'mentee'], sequence: 0 });
  } else {
    step.owedBy = u.actor.role === 'mentor' ? 'mentee' : 'mentor';
  }
  return effects;
}

// ── Life events and coordinator actions ───────────────────────────────────────────

export function checkPause(state: CycleState, u: PauseCycle, now: number): string | null {
  if (live(state)) return live(state);
  if (state.paused) return 'The cycle is already paused.';
  if (!['leave', 'sabbatical', 'travel', 'other'].includes(u.reason)) return 'The reason must be leave, sabbatical, travel or other.';
  if (u.until !== undefined && (Number.isNaN(Date.parse(u.until)) || Date.parse(u.until) <= now)) return 'The expected end of the pause must be a future date.';
  return null;
}

export function applyPause(state: CycleState, u: PauseCycle, now: number): Effect[] {
  state.paused = { since: now, reason: u.reason, until: u.until ? Date.parse(u.until) : null };
  state.pauseCount++;
  // Meetings that fall inside the time away are withdrawn from every calendar, and proposed again on resume.
  const withdrawn = withdrawMeetingsBetween(state, now, state.paused.until ?? Number.POSITIVE_INFINITY, 'paused');
  for (const step of withdrawn.steps) {
    step.phase = 'awaiting-schedule';
    step.owedBy = 'both';
    step.withdrawnByPause = true;
  }
  return [
    ...withdrawn.effects,
    {
      type: 'event',
      step: null,
      kind: 'cycle-paused',
      detail: { reason: u.reason, by: u.actor.role, contingencyContactId: u.contingencyContactId ?? null, until: u.until ?? null },
    },
    {
      type: 'notify',
      step: 'cycle',
      kind: 'cycle-paused',
      audience: ['mentor', 'mentee'],
      sequence: state.pauseCount,
      facts: { reason: u.reason, until: u.until ?? null },
    },
  ];
}

export function checkResume(state: CycleState): string | null {
  if (live(state)) return live(state);
  return state.paused ? null : 'The cycle is not paused.';
}

export function applyResume(state: CycleState, now: number, by: string): Effect[] {
  const pausedFor = now - state.paused!.since;
  shiftDeadlines(state, pausedFor);
  state.paused = null;
  return [
    { type: 'event', step: null, kind: 'cycle-resumed', detail: { pausedForMs: pausedFor, by } },
    { type: 'notify', step: 'cycle', kind: 'cycle-resumed', audience: ['mentor', 'mentee'], sequence: state.pauseCount },
  ];
}

/**
 * After a resume: each check-in whose meeting the pause withdrew gets a new proposal at the
 * agreed cadence inside its (shifted) window — a REQUEST with a higher SEQUENCE, same UID.
 */
export function reproposeAfterPause(policy: Policy, state: CycleState, now: number, zone: string): Effect[] {
  const effects: Effect[] = [];
  for (const step of state.steps) {
    if (!step.withdrawnByPause) continue;
    step.withdrawnByPause = false;
    if (step.state !== 'open' || step.meeting) continue;
    const invite = proposeMeeting(policy, state, step, now, zone);
    if (!invite) continue;
    step.phase = 'scheduled';
    step.owedBy = null;
    effects.push(
      { type: 'event', step: step.id, kind: 'check-in-rescheduled', detail: { startsAt: iso(step.meeting!.startsAt), revision: step.calendarRevision ?? 0 } },
      invite,
    );
  }
  return effects;
}

export function checkEndPair(state: CycleState, u: EndPair): string | null {
  if (live(state)) return live(state);
  if (u.actor.role !== 'coordinator') return 'Only a coordinator can end a pair.';
  if (!['graduation', 'lab-change', 'withdrawn', 'other'].includes(u.reason)) return 'The reason must be graduation, lab-change, withdrawn or other.';
  return null;
}

export function applyEndPair(state: CycleState, u: EndPair): Effect[] {
  state.ended = { reason: u.reason };
  const effects: Effect[] = [{ type: 'event', step: null, kind: 'pair-ended', detail: { reason: u.reason } }];
  for (const step of state.steps) {
    if (step.state !== 'planned' && step.state !== 'open') continue;
    const cancel = withdrawMeeting(step, 'pair-ended');
    if (cancel) effects.push(cancel);
    step.state = 'cancelled';
    step.owedBy = null;
  }
  effects.push({ type: 'notify', step: 'cycle', kind: 'pair-ended', audience: ['mentor', 'mentee'], sequence: 0, facts: { reason: u.reason } });
  return effects;
}

function coordinatorStep(state: CycleState, u: StepRef): Step | string {
  if (u.actor.role !== 'coordinator') return 'Only a coordinator can do this.';
  const step = openStepOr(state, u.step, `the step "${u.step}"`);
  if (typeof step === 'string') return live(state) ?? step;
  return step;
}

export function checkNudge(state: CycleState, u: StepRef): string | null {
  const step = coordinatorStep(state, u);
  if (typeof step === 'string') return step;
  if (step.owedBy === null) return 'Nobody owes this step anything right now.';
  return null;
}

export function applyNudge(state: CycleState, u: StepRef): Effect[] {
  const step = stepById(state, u.step)!;
  const n = step.nudges++;
  return [
    { type: 'event', step: step.id, kind: 'nudged', detail: { n } },
    {
      type: 'notify',
      step: step.id,
      kind: 'nudge',
      audience: audienceFor(step.owedBy),
      sequence: n,
      facts: { dueAt: iso(step.dueAt), owedBy: step.owedBy, phase: step.phase },
    },
  ];
}

export function checkSnooze(state: CycleState, u: SnoozeEscalation, now: number): string | null {
  const step = coordinatorStep(state, u);
  if (typeof step === 'string') return step;
  const until = Date.parse(u.until);
  if (Number.isNaN(until) || until <= now) return 'Snooze until a future date.';
  return null;
}

export function applySnooze(state: CycleState, u: SnoozeEscalation): Effect[] {
  const step = stepById(state, u.step)!;
  step.snoozedUntil = Date.parse(u.until);
  return [{ type: 'event', step: step.id, kind: 'escalation-snoozed', detail: { until: u.until } }];
}

export function checkResolve(state: CycleState, u: StepRef): string | null {
  const step = coordinatorStep(state, u);
  if (typeof step === 'string') return step;
  if (step.kind === 'evaluation') return 'The evaluation step closes by itself.';
  return null;
}

export function applyResolve(state: CycleState, u: StepRef): Effect[] {
  return closeStep(stepById(state, u.step)!, 'resolved', 'resolved-by-coordinator');
}
