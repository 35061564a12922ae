/**
 * The plan of one pair's year: when each step opens and is due, from the enrollment
 * instant and the policy. Pure, shared by the workflow, activities and tests.
 *
 * With timeCompression 1, days are calendar days in the pair's zone (so a deadline keeps
 * its wall-clock time across daylight-saving changes); compressed policies use plain
 * scaled milliseconds, since a "day" there lasts a fraction of a second.
 */
import { policyDaysToMs, type Policy } from './policy.ts';
import type { StepKind } from './cycle-view.ts';
import { checkInStepId } from './step-id.ts';
import { addLocalDays, localDateOf, wallClock, zonedTimeToInstant } from './zoned-time.ts';

export interface PlannedStep {
  id: string;
  kind: StepKind;
  opensAt: number;
  dueAt: number;
  /** Its window closed before the pair was enrolled (see joinLate): recorded, never opened. */
  beforeEnrollment?: boolean;
}

export interface CyclePlan {
  steps: PlannedStep[];
  /** When the year ends and the next begins. */
  yearEndsAt: number;
}

/** The instant `days` policy days after `fromMs`. */
export function afterPolicyDays(policy: Policy, fromMs: number, days: number, zone: string): number {
  if (policy.timeCompression !== 1) return fromMs + policyDaysToMs(policy, days);
  const whole = Math.floor(days);
  const clock = wallClock(fromMs, zone);
  const date = addLocalDays(localDateOf(fromMs, zone), whole);
  return zonedTimeToInstant(date, clock.hour, clock.minute, zone) + (days - whole) * 86_400_000;
}

export function planCycle(policy: Policy, enrolledAtMs: number, zone: string): CyclePlan {
  const at = (days: number) => afterPolicyDays(policy, enrolledAtMs, days, zone);
  const s = policy.stages;
  const steps: PlannedStep[] = [{ id: 'expectations', kind: 'expectations', opensAt: at(s.expectations.opensAtDay), dueAt: at(s.expectations.dueAtDay) }];
  s.checkIns.forEach((w, i) => {
    steps.push({ id: checkInStepId(i + 1), kind: 'check-in', opensAt: at(w.opensAtDay), dueAt: at(w.dueAtDay) });
    if (i + 1 === s.trainingGoalsWithCheckIn) {
      steps.push({ id: 'training-goals', kind: 'training-goals', opensAt: at(w.opensAtDay), dueAt: at(w.dueAtDay) });
    }
  });
  steps.push({ id: 'feedback', kind: 'feedback', opensAt: at(s.feedback.opensAtDay), dueAt: at(s.feedback.dueAtDay) });
  steps.push({ id: 'evaluation', kind: 'evaluation', opensAt: at(s.evaluationAtDay), dueAt: at(s.evaluationAtDay) });
  return { steps, yearEndsAt: at(policy.yearLengthDays) };
}

/**
 * Joining the year late: the plan as it stands for a pair enrolled at `joinedAtMs`, when the
 * year's calendar (from the start date) began earlier. Nothing may punish the pair for time
 * before it was enrolled:
 * - expectations always come first: if their window is over, it opens at enrollment with the
 *   policy's own length;
 * - a window that closed before enrollment is marked `beforeEnrollment` (never opened, so it is
 *   not missed, lapsed or stalled and counts against no one);
 * - the window current at enrollment opens as planned, so at most one check-in opens at once.
 * Deadlines still ahead are unchanged. Joining on or before the start changes nothing.
 */
export function joinLate(policy: Policy, plan: CyclePlan, joinedAtMs: number, zone: string): CyclePlan {
  const s = policy.stages;
  const steps = plan.steps.map((step): PlannedStep => {
    if (step.dueAt > joinedAtMs) return step;
    if (step.kind === 'expectations') {
      return { ...step, opensAt: joinedAtMs, dueAt: afterPolicyDays(policy, joinedAtMs, s.expectations.dueAtDay - s.expectations.opensAtDay, zone) };
    }
    // The evaluation input is made at its instant from whatever the year holds: never skipped.
    if (step.kind === 'evaluation') return step;
    return { ...step, beforeEnrollment: true };
  });
  return { ...plan, steps };
}
