/**
 * The escalation ladder of a stalled step: which rung is next and when it fires.
 * Rungs count from the step's due date (its "anchor"); a snooze moves the anchor so the
 * next rung fires when the snooze ends and later rungs keep their spacing.
 */
import { ladderFor, policyDaysToMs, type LadderRung, type Policy } from './policy.ts';
import type { StepKind } from './cycle-view.ts';

export type LadderStepKind = 'expectations' | 'check-in' | 'training-goals';

export function isLadderStep(kind: StepKind): kind is LadderStepKind {
  return kind === 'expectations' || kind === 'check-in' || kind === 'training-goals';
}

export interface NextRung {
  index: number;
  rung: LadderRung;
  firesAt: number;
}

/** The next rung after `firedCount` rungs have fired, or null when the ladder is spent. */
export function nextRung(policy: Policy, kind: LadderStepKind, anchorMs: number, firedCount: number): NextRung | null {
  const ladder = ladderFor(policy, kind);
  const rung = ladder[firedCount];
  if (!rung) return null;
  return { index: firedCount, rung, firesAt: anchorMs + policyDaysToMs(policy, rung.afterDays) };
}

/** The anchor that makes the next rung fire exactly at `atMs` (used when a snooze ends). */
export function anchorForRungAt(policy: Policy, kind: LadderStepKind, firedCount: number, atMs: number): number {
  const rung = ladderFor(policy, kind)[firedCount];
  return rung ? atMs - policyDaysToMs(policy, rung.afterDays) : atMs;
}

/** Index of the rung at which a cycle counts as stalled (the coordinator is told). */
export function stallRungIndex(policy: Policy, kind: LadderStepKind): number {
  const i = ladderFor(policy, kind).findIndex((r) => r.rung === 'notify-coordinator');
  return i === -1 ? Number.POSITIVE_INFINITY : i;
}
