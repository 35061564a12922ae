/**
 * The policy in effect, said in dates and words: the year's calendar for a pair enrolled
 * at a given instant (the same pure planner the workflow uses), each step's escalation
 * ladder, the reminders, the resources and the anonymity threshold. Pure, so the policy
 * page and `tandem policy check` say the same thing.
 */
import type { StepKind } from '../domain/cycle-view.ts';
import { type DepartmentResource, type Policy, type Rung } from '../domain/policy.ts';
import { planCycle } from '../domain/plan.ts';
import { ladderForKind } from '../domain/ladder.ts';
import { checkInLabel, checkInNumber } from '../domain/step-id.ts';

export const RUNG_WORDS: Record<Rung, string> = {
  'remind-owner': 'reminder to whoever owes the step',
  'remind-both': 'reminder to both',
  'notify-coordinator': 'coordinator told; the cycle counts as stalled',
  'refer-resource': 'referral to a department resource',
};

export const LADDER_STEPS = [
  { kind: 'expectations', label: 'Expectations' },
  { kind: 'check-in', label: 'Check-ins' },
  { kind: 'training-goals', label: 'Training goals' },
] as const;

export interface CalendarEntry {
  stepId: string;
  kind: StepKind;
  opensAt: Date;
  dueAt: Date;
}

export interface LadderEntry {
  kind: (typeof LADDER_STEPS)[number]['kind'];
  label: string;
  /** True when the step has a ladder of its own (ladderByStep), not the default. */
  own: boolean;
  rungs: { rung: Rung; afterDays: number; words: string }[];
}

export interface PolicySummary {
  departmentName: string;
  calendar: CalendarEntry[];
  yearEndsAt: Date;
  ladders: LadderEntry[];
  remindBeforeDueDays: number[];
  resources: DepartmentResource[];
  referralResource: DepartmentResource | undefined;
  anonymityThreshold: number;
  timeCompression: number;
}

export function summarizePolicy(policy: Policy, enrolledAt: Date, zone = policy.defaultTimeZone): PolicySummary {
  const plan = planCycle(policy, enrolledAt.getTime(), zone);
  return {
    departmentName: policy.department.name,
    calendar: plan.steps.map((s) => ({ stepId: s.id, kind: s.kind, opensAt: new Date(s.opensAt), dueAt: new Date(s.dueAt) })),
    yearEndsAt: new Date(plan.yearEndsAt),
    ladders: LADDER_STEPS.map(({ kind, label }) => ({
      kind,
      label,
      own: policy.ladderByStep[kind] !== undefined,
      rungs: ladderForKind(policy, kind).map((r) => ({ rung: r.rung, afterDays: r.afterDays, words: RUNG_WORDS[r.rung] })),
    })),
    remindBeforeDueDays: [...policy.remindBeforeDueDays].sort((a, b) => b - a),
    resources: policy.resources,
    referralResource: policy.resources.find((r) => r.id === policy.referralResourceId),
    anonymityThreshold: policy.anonymityThreshold,
    timeCompression: policy.timeCompression,
  };
}

/** "Check-in 2", "Training goals", … */
export function stepLabel(stepId: string): string {
  const checkIn = checkInNumber(stepId);
  if (checkIn !== null) return checkInLabel(checkIn);
  return { expectations: 'Expectations', 'training-goals': 'Training goals', feedback: 'Two-way feedback', evaluation: 'Evaluation input' }[stepId] ?? stepId;
}

/** "3 days" or "0.5 days": policy days as a person reads them. */
export function daysText(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}
