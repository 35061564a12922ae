/** What the workflow asks its activities to do: ids and states, nothing confidential. */

export type Audience = 'mentor' | 'mentee' | 'coordinators' | 'referral-resource';

export interface NotificationRequest {
  cycleId: string;
  step: string;
  kind: string;
  /** Distinguishes repeats of the same kind within a step (rung number, reschedule count). */
  sequence: number;
  audience: Audience[];
}

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
