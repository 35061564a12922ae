/**
 * The escalation ladder of a stalled step: which rung is next and when it fires.
 * Rungs count from the step's due date (its "anchor"); a snooze moves the anchor so the
 * next rung fires when the snooze ends and later rungs keep their spacing.
 */
import { policyDaysToMs, type LadderRung, type Policy } from './policy.ts';
import type { StepKind } from './cycle-view.ts';
import { stepKindOf } from './step-id.ts';

export type LadderStepKind = 'expectations' | 'check-in' | 'training-goals';

export function isLadderStep(kind: StepKind): kind is LadderStepKind {
  return kind === 'expectations' || kind === 'check-in' || kind === 'training-goals';
}

/** The ladder a kind of step climbs: its own when the policy gives it one, else the policy's ladder. */
export function ladderForKind(policy: Pick<Policy, 'ladder' | 'ladderByStep'>, kind: LadderStepKind): LadderRung[] {
  return policy.ladderByStep[kind] ?? policy.ladder;
}

/**
 * The ladder shown for a cycle's current step id ("check-in-2"): its kind's ladder, or the
 * policy's ladder for a step that climbs none (feedback) or no step at all.
 */
export function ladderForStep(policy: Pick<Policy, 'ladder' | 'ladderByStep'>, step: string | null): LadderRung[] {
  const kind = stepKindOf(step);
  return kind !== null && isLadderStep(kind) ? ladderForKind(policy, kind) : policy.ladder;
}

export interface NextRung {
  index: number;
  rung: LadderRung;
  firesAt: number;
}

/** The next rung after `firedCount` rungs have fired, or null when the ladder is spent. */
export function nextRung(policy: Policy, kind: LadderStepKind, anchorMs: number, firedCount: number): NextRung | null {
  const ladder = ladderForKind(policy, kind);
  const rung = ladder[firedCount];
  if (!rung) return null;
  return { index: firedCount, rung, firesAt: anchorMs + policyDaysToMs(policy, rung.afterDays) };
}

/** The anchor that makes the next rung fire exactly at `atMs` (used when a snooze ends). */
export function anchorForRungAt(policy: Policy, kind: LadderStepKind, firedCount: number, atMs: number): number {
  const rung = ladderForKind(policy, kind)[firedCount];
  return rung ? atMs - policyDaysToMs(policy, rung.afterDays) : atMs;
}

/** Index of the rung at which a cycle counts as stalled (the coordinator is told). */
export function stallRungIndex(policy: Policy, kind: LadderStepKind): number {
  const i = ladderForKind(policy, kind).findIndex((r) => r.rung === 'notify-coordinator');
  return i === -1 ? Number.POSITIVE_INFINITY : i;
}
