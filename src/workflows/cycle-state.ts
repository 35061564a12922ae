/**
 * The in-workflow state of one cycle, and what the outside world may see of it (the view
 * and the projection snapshot). Pure: no Temporal APIs, so it is unit-testable and the
 * workflow file stays about orchestration.
 */
import type { CycleSnapshot } from '../activities/types.ts';
import type { CycleView, StepKind, StepState, StepView } from '../domain/cycle-view.ts';
import { isLadderStep, stallRungIndex } from '../domain/ladder.ts';
import type { CyclePlan } from '../domain/plan.ts';
import { policyDaysToMs, type Policy } from '../domain/policy.ts';
import type { MeetingFormat, PauseReason } from './definitions.ts';
import type { Effect } from './effects.ts';

export type Owed = 'mentor' | 'mentee' | 'both' | null;

export interface Step {
  id: string;
  kind: StepKind;
  state: StepState;
  opensAt: number;
  dueAt: number;
  phase: string;
  owedBy: Owed;
  /** Rungs count from here; starts at dueAt, moved by snoozes and pauses. */
  ladderAnchor: number;
  rungsFired: number;
  stalledSince: number | null;
  snoozedUntil: number | null;
  remindersSent: number;
  nudges: number;
  meeting: { startsAt: number; endsAt: number; revision: number } | null;
  /** Check-ins: the highest calendar revision ever sent (see check-in-calendar.ts); absent means none yet. */
  calendarRevision?: number;
  /** Check-ins: the meeting was withdrawn by a pause and is proposed again on resume. */
  withdrawnByPause?: boolean;
  outcomeAsked: boolean;
  /** Times this step went round (expectations questioned, check-in missed). */
  rounds: number;
  submitted: ('mentor' | 'mentee')[];
}

export interface Agreement {
  cadenceDays: number;
  localTime: string;
  format: MeetingFormat;
  agreedAt: number;
}

export interface CycleState {
  steps: Step[];
  yearEndsAt: number;
  paused: { since: number; reason: PauseReason; until: number | null } | null;
  /** Pauses so far: numbers each pause's messages. */
  pauseCount: number;
  ended: { reason: string } | null;
  agreement: Agreement | null;
  /** Cadence shared but not yet acknowledged. */
  proposedAgreement: Agreement | null;
}

/** The phase of a step whose window closed before the pair was enrolled (see joinLate). */
export const BEFORE_ENROLLMENT = 'before-enrollment';

/**
 * The state at the start of the year. `joined` is the enrollment instant of a pair that joined
 * late: reminders whose time had already passed then are counted as sent, so the pair's first
 * messages are the steps opening, not a burst of catch-up reminders.
 */
export function initialState(plan: CyclePlan, joined?: { policy: Policy; joinedAt: number }): CycleState {
  const remindersPassed = (dueAt: number) =>
    joined ? joined.policy.remindBeforeDueDays.filter((d) => dueAt - policyDaysToMs(joined.policy, d) < joined.joinedAt).length : 0;
  return {
    steps: plan.steps.map((p) => ({
      id: p.id,
      kind: p.kind,
      state: p.beforeEnrollment ? 'closed' : 'planned',
      opensAt: p.opensAt,
      dueAt: p.dueAt,
      phase: p.beforeEnrollment ? BEFORE_ENROLLMENT : 'planned',
      owedBy: null,
      ladderAnchor: p.dueAt,
      rungsFired: 0,
      stalledSince: null,
      snoozedUntil: null,
      remindersSent: remindersPassed(p.dueAt),
      nudges: 0,
      meeting: null,
      outcomeAsked: false,
      rounds: 0,
      submitted: [],
    })),
    yearEndsAt: plan.yearEndsAt,
    paused: null,
    pauseCount: 0,
    ended: null,
    agreement: null,
    proposedAgreement: null,
  };
}

/** Timeline entries for the windows that closed before enrollment: they show, and count for no one. */
export function beforeEnrollmentEvents(state: CycleState): Effect[] {
  return state.steps
    .filter((s) => s.phase === BEFORE_ENROLLMENT)
    .map((s) => ({ type: 'event', step: s.id, kind: 'step-before-enrollment', detail: { dueAt: iso(s.dueAt) } }));
}

export function isFinished(step: Step): boolean {
  return step.state !== 'planned' && step.state !== 'open';
}

export function stepById(state: CycleState, id: string): Step | undefined {
  return state.steps.find((s) => s.id === id);
}

export function isStalled(policy: Policy, step: Step): boolean {
  return step.state === 'open' && isLadderStep(step.kind) && step.rungsFired > stallRungIndex(policy, step.kind);
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The step the dashboard should show for this cycle: a stalled one first, else the earliest due open one. */
export function focusStep(policy: Policy, state: CycleState): Step | null {
  const open = state.steps.filter((s) => s.state === 'open');
  const stalled = open.filter((s) => isStalled(policy, s)).sort((a, b) => (a.stalledSince ?? 0) - (b.stalledSince ?? 0));
  if (stalled[0]) return stalled[0];
  const byDue = [...open].sort((a, b) => a.dueAt - b.dueAt);
  return byDue[0] ?? null;
}

export function cycleStatus(policy: Policy, state: CycleState): CycleView['status'] {
  if (state.ended) return 'ended';
  if (state.steps.every(isFinished)) return 'completed';
  if (state.paused) return 'paused';
  if (state.steps.some((s) => isStalled(policy, s))) return 'stalled';
  return 'running';
}

export function snapshot(policy: Policy, state: CycleState): CycleSnapshot {
  const focus = focusStep(policy, state);
  return {
    status: cycleStatus(policy, state),
    currentStep: focus?.id ?? null,
    dueAt: iso(focus?.dueAt ?? null),
    owedBy: focus?.owedBy ?? null,
    stalledSince: focus && isStalled(policy, focus) ? iso(focus.stalledSince) : null,
    ladderRung: focus && focus.rungsFired > 0 ? focus.rungsFired - 1 : null,
  };
}

export function stepView(step: Step): StepView {
  return {
    id: step.id,
    kind: step.kind,
    state: step.state,
    opensAt: iso(step.opensAt)!,
    dueAt: iso(step.dueAt)!,
    owedBy: step.owedBy,
    phase: step.phase,
    stalledSince: iso(step.stalledSince),
    rung: step.rungsFired > 0 ? step.rungsFired - 1 : null,
    snoozedUntil: iso(step.snoozedUntil),
    meeting: step.meeting ? { startsAt: iso(step.meeting.startsAt)!, endsAt: iso(step.meeting.endsAt)!, revision: step.meeting.revision } : null,
    submitted: [...step.submitted],
  };
}

export function cycleView(policy: Policy, state: CycleState, ids: { cycleId: string; academicYear: number }): CycleView {
  return {
    cycleId: ids.cycleId,
    academicYear: ids.academicYear,
    status: cycleStatus(policy, state),
    paused: state.paused ? { since: iso(state.paused.since)!, reason: state.paused.reason, until: iso(state.paused.until) } : null,
    endedReason: state.ended?.reason ?? null,
    meetingCadenceDays: state.agreement?.cadenceDays ?? null,
    steps: state.steps.map(stepView),
  };
}

/** Moves every future instant of unfinished steps by `shiftMs` (a pause's length). */
export function shiftDeadlines(state: CycleState, shiftMs: number): void {
  for (const step of state.steps) {
    if (isFinished(step)) continue;
    if (step.state === 'planned') step.opensAt += shiftMs;
    step.dueAt += shiftMs;
    step.ladderAnchor += shiftMs;
    if (step.snoozedUntil !== null) step.snoozedUntil += shiftMs;
  }
  state.yearEndsAt += shiftMs;
}
