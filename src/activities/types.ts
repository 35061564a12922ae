/**
 * What the workflow asks its activities to do: ids and states, nothing confidential.
 * These types are the contract between the workflow (issue: cycle) and the mail,
 * invite and projection activities.
 */

export type Audience = 'mentor' | 'mentee' | 'coordinators' | 'referral-resource';

/**
 * The message catalogue: one template per kind. The workflow picks the kind and the
 * audience; the activity renders it for each recipient with current names and pronouns.
 */
export const MESSAGE_KINDS = [
  'expectations-requested', // to mentor and mentee when the year begins
  'expectations-shared', // to mentee: read and acknowledge or question
  'expectations-acknowledged', // to mentor
  'expectations-questioned', // to mentor: the mentee raised questions; revise and share again
  'check-in-window-open', // to both: the quarter's check-in, with the proposed slot (invite sent separately)
  'check-in-outcome-requested', // to both: "did you meet?"
  'check-in-missed', // to both: please reschedule
  'training-goals-due', // to mentee: update your training and career goals (IDP)
  'training-goals-updated', // to mentor: please review
  'training-goals-reviewed', // to mentee
  'feedback-requested', // to both: two-way feedback window open
  'feedback-released', // to both: each may now read the other's feedback
  'reminder-before-due', // to whoever owes a step
  'ladder-remind-owner', // rung 1: to whoever owes the step
  'ladder-remind-both', // rung 2: to both
  'ladder-coordinator-stalled', // rung 3: to the coordinators
  'ladder-referral', // rung 4: to the named department resource
  'nudge', // coordinator's "remind now", to whoever owes the step
  'cycle-paused', // to both
  'cycle-resumed', // to both
  'pair-ended', // to both
  'evaluation-input-ready', // to the coordinators: the year's evaluation input is produced
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface NotificationRequest {
  cycleId: string;
  /** Step id: "expectations", "check-in-2", … or "cycle" for life events. */
  step: string;
  kind: MessageKind;
  /** Distinguishes repeats of the same kind within a step (rung number, reschedule count). */
  sequence: number;
  audience: Audience[];
  /**
   * Non-confidential facts the template may show. Keys the catalogue reads (all optional;
   * a missing one is left out of the wording): dueAt, startsAt, endsAt, stalledSince, until
   * (ISO instants); reason (pause: leave | sabbatical | travel | other; end: graduation |
   * lab-change | withdrawn | other); owedBy (mentor | mentee | both); phase ("awaiting-outcome"
   * makes a check-in reminder ask "did you meet?"); rung; academicYear.
   */
  facts?: Record<string, string | number | null>;
}

/** A check-in invite change: REQUEST for a new or moved meeting, CANCEL for a cancelled one. */
export interface CheckInInviteRequest {
  cycleId: string;
  /** Step id, "check-in-1" … */
  step: string;
  method: 'REQUEST' | 'CANCEL';
  startsAt: string;
  endsAt: string;
  /** The workflow's count of changes to this check-in: the send is idempotent per revision. */
  revision: number;
  /** A CANCEL nobody asked for: why the meeting left the calendars (the email says so). */
  withdrawnBecause?: WithdrawReason;
}

export type WithdrawReason = 'pair-ended' | 'year-ended' | 'paused';

export interface CycleSnapshot {
  status: 'running' | 'paused' | 'stalled' | 'completed' | 'ended';
  currentStep: string | null;
  dueAt: string | null;
  owedBy: string | null;
  stalledSince: string | null;
  ladderRung: number | null;
}

export interface TransitionRecord {
  cycleId: string;
  /** Unique within the cycle: a retried write lands once. */
  eventKey: string;
  occurredAt: string;
  step: string | null;
  kind: string;
  detail?: Record<string, string | number | boolean | null>;
  snapshot: CycleSnapshot;
}
