/**
 * The mentoring cycle's public surface: its input, and the Updates and Queries that the
 * web app, the CLI and tests use. Everything here carries ids and states only — what a
 * person typed (expectations, goals, feedback, help requests) stays in Postgres and is
 * referred to by id (see DESIGN.md, rule 2).
 *
 * Every Update has a validator: an action that does not fit the current step is rejected
 * before it enters history, with a reason written for the participant's page.
 */
import type { SearchAttributePair } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../domain/policy.ts';
import { STAGE_ATTRIBUTE, STALLED_ATTRIBUTE } from '../temporal/search-attributes.ts';
import type { CycleTiming } from '../domain/cycle-timing.ts';
import type { CycleView } from '../domain/cycle-view.ts';

export type { CycleView, StepView, StepKind, StepState } from '../domain/cycle-view.ts';

export interface MentoringCycleInput {
  cycleId: string;
  pairId: string;
  academicYear: number;
  /** ISO instant the year's plan is measured from (the start date). */
  enrolledAt: string;
  /**
   * ISO instant the pair was actually enrolled, when later than the start (joining the year
   * late: nothing before it may escalate). Absent in histories recorded before it existed.
   */
  joinedAt?: string;
  /** The pair's time zone, for meeting times. */
  timeZone: string;
  /** What decides the cycle's timing (src/domain/cycle-timing.ts); histories recorded before carry the whole Policy. */
  policy: CycleTiming | Policy;
  /**
   * The behaviours the run has from its start (src/workflows/run-behaviours.ts), named in its
   * input so it records no patch marker to learn them. Absent in runs started before it existed.
   */
  behaviourSet?: BehaviourSet;
}

/**
 * The named sets of behaviours (src/workflows/run-behaviours.ts), oldest first:
 * '2026-12' everything up to the start of December 2026; '2026-12-02' adds a pass delivering
 * its own mail when no page waits on it.
 */
export type BehaviourSet = '2026-12' | '2026-12-02';

/** What every cycle started now behaves as, and every next year continues as. */
export const CURRENT_BEHAVIOUR_SET: BehaviourSet = '2026-12-02';

/**
 * What a cycle starts with in the Temporal UI's search attributes: its first step, not
 * stalled. Given at the start, so the first task upserts nothing when its first state agrees
 * (an upsert is a history event, a visibility write and a billed action).
 */
export const SEARCH_ATTRIBUTES_AT_START: SearchAttributePair[] = [
  { key: STAGE_ATTRIBUTE, value: 'expectations' },
  { key: STALLED_ATTRIBUTE, value: false },
];

/** Who acts: a participant of this pair, or a coordinator. Ids only. */
export type Participant = { role: 'mentor' | 'mentee'; personId: string };
export type Coordinator = { role: 'coordinator'; coordinatorId: string };

export type MeetingFormat = 'in-person' | 'video' | 'hybrid';

// ── Expectations ──────────────────────────────────────────────────────────────────
export interface ShareExpectations {
  actor: Participant;
  /** Row in Postgres holding the written expectations (boundaries, norms, contingencies). */
  expectationsId: string;
  meetingCadenceDays: number;
  /** Local time of regular meetings, "HH:MM" in the pair's zone. */
  meetingLocalTime: string;
  meetingFormat: MeetingFormat;
}
export interface RespondToExpectations {
  actor: Participant;
  /** For a question: the row holding it. */
  questionId?: string;
}
export const shareExpectationsUpdate = defineUpdate<CycleView, [ShareExpectations]>('shareExpectations');
export const acknowledgeExpectationsUpdate = defineUpdate<CycleView, [RespondToExpectations]>('acknowledgeExpectations');
export const questionExpectationsUpdate = defineUpdate<CycleView, [RespondToExpectations]>('questionExpectations');

// ── Check-ins ─────────────────────────────────────────────────────────────────────
export interface ScheduleCheckIn {
  actor: Participant | Coordinator;
  /** 1-based number of the quarterly check-in. */
  checkIn: number;
  startsAt: string;
  endsAt: string;
}
export interface CheckInRef {
  actor: Participant | Coordinator;
  checkIn: number;
}
export interface CheckInOutcome extends CheckInRef {
  outcome: 'held' | 'missed';
}
/** Schedule or move a check-in; each change sends an updated invite. */
export const scheduleCheckInUpdate = defineUpdate<CycleView, [ScheduleCheckIn]>('scheduleCheckIn');
export const cancelCheckInUpdate = defineUpdate<CycleView, [CheckInRef]>('cancelCheckIn');
export const recordCheckInOutcomeUpdate = defineUpdate<CycleView, [CheckInOutcome]>('recordCheckInOutcome');

// ── Training goals ────────────────────────────────────────────────────────────────
export interface TrainingGoalsUpdated {
  actor: Participant;
  /** Row in Postgres holding the mentee's updated training and career goals (IDP). */
  goalsId: string;
}
export const updateTrainingGoalsUpdate = defineUpdate<CycleView, [TrainingGoalsUpdated]>('updateTrainingGoals');
export const reviewTrainingGoalsUpdate = defineUpdate<CycleView, [{ actor: Participant }]>('reviewTrainingGoals');

// ── Two-way feedback ──────────────────────────────────────────────────────────────
export interface FeedbackSubmitted {
  actor: Participant;
  /** Row in Postgres holding the (confidential) feedback. */
  feedbackId: string;
}
export const submitFeedbackUpdate = defineUpdate<CycleView, [FeedbackSubmitted]>('submitFeedback');

// ── Life events and coordinator actions ───────────────────────────────────────────
export type PauseReason = 'leave' | 'sabbatical' | 'travel' | 'other';
export interface PauseCycle {
  actor: Participant | Coordinator;
  reason: PauseReason;
  /** Person (in Postgres) to contact while paused. */
  contingencyContactId?: string;
  /** When the pause is expected to end; resume is still explicit. */
  until?: string;
}
export type EndReason = 'graduation' | 'lab-change' | 'withdrawn' | 'other';
export interface EndPair {
  actor: Coordinator;
  reason: EndReason;
}
export interface StepRef {
  actor: Coordinator;
  step: string;
}
export interface SnoozeEscalation extends StepRef {
  until: string;
}
export const pauseCycleUpdate = defineUpdate<CycleView, [PauseCycle]>('pauseCycle');
export const resumeCycleUpdate = defineUpdate<CycleView, [{ actor: Participant | Coordinator }]>('resumeCycle');
/** A participant's preferred name or pronouns changed in Postgres: recorded on the timeline. */
export const profileChangedUpdate = defineUpdate<CycleView, [{ actor: Participant | Coordinator; personId: string }]>('profileChanged');
export const endPairUpdate = defineUpdate<CycleView, [EndPair]>('endPair');
/** Remind whoever owes the step, now. */
export const nudgeUpdate = defineUpdate<CycleView, [StepRef]>('nudge');
export const snoozeEscalationUpdate = defineUpdate<CycleView, [SnoozeEscalation]>('snoozeEscalation');
/** The coordinator settled a stalled step outside Tandem: close it and stop its ladder. */
export const resolveStepUpdate = defineUpdate<CycleView, [StepRef]>('resolveStep');

export const cycleViewQuery = defineQuery<CycleView>('cycleView');
