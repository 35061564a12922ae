/** The state of one cycle as the outside world may see it: ids, states and instants only. */

export type StepKind = 'expectations' | 'check-in' | 'training-goals' | 'feedback' | 'evaluation';

export type StepState =
  | 'planned' // its window has not opened
  | 'open' // waiting on someone
  | 'completed'
  | 'resolved' // closed by a coordinator
  | 'closed' // window ended without completion, by design (feedback)
  | 'cancelled'; // the pair ended first

export interface StepView {
  /** "expectations", "check-in-1" … "check-in-4", "training-goals", "feedback", "evaluation". */
  id: string;
  kind: StepKind;
  state: StepState;
  opensAt: string;
  dueAt: string;
  /** Who the step waits on now. */
  owedBy: 'mentor' | 'mentee' | 'both' | null;
  /** Sub-state for the page: "awaiting-share", "questioned", "scheduled", "awaiting-outcome", … */
  phase: string;
  stalledSince: string | null;
  /** Index into the policy's ladder of the last rung fired, or null. */
  rung: number | null;
  snoozedUntil: string | null;
  /** For check-ins: the scheduled meeting. */
  meeting: { startsAt: string; endsAt: string; revision: number } | null;
  /** For feedback: who has submitted. */
  submitted: ('mentor' | 'mentee')[];
}

export interface CycleView {
  cycleId: string;
  academicYear: number;
  status: 'running' | 'paused' | 'stalled' | 'completed' | 'ended';
  paused: { since: string; reason: string; until: string | null } | null;
  endedReason: string | null;
  meetingCadenceDays: number | null;
  steps: StepView[];
}
