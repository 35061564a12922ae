/**
 * Step ids: the names the workflow gives the steps of a year ("expectations", "check-in-2",
 * "training-goals", "feedback", "evaluation"). One parser, so every page, mail and report reads
 * a check-in's number the same way (any number of digits: a year may have ten check-ins).
 */
import type { StepKind } from './cycle-view.ts';

export type CheckInStepId = `check-in-${number}`;
export type StepId = 'expectations' | CheckInStepId | 'training-goals' | 'feedback' | 'evaluation';

const NAMED_STEPS: ReadonlySet<string> = new Set(['expectations', 'training-goals', 'feedback', 'evaluation']);
const CHECK_IN = /^check-in-([1-9]\d*)$/;

export function checkInStepId(n: number): CheckInStepId {
  return `check-in-${n}`;
}

/** The step id `text` names, or null when it names none (junk, "check-in-0", "check-in-x"). */
export function parseStepId(text: string | null | undefined): StepId | null {
  if (typeof text !== 'string') return null;
  if (NAMED_STEPS.has(text)) return text as StepId;
  return CHECK_IN.test(text) ? (text as CheckInStepId) : null;
}

/** The check-in a step id names ("check-in-2" → 2), or null when it is not a check-in. */
export function checkInNumber(step: string | null | undefined): number | null {
  const m = CHECK_IN.exec(step ?? '');
  return m ? Number(m[1]) : null;
}

export function isCheckInStep(step: string | null | undefined): step is CheckInStepId {
  return checkInNumber(step) !== null;
}

/** The kind of step an id names ("check-in-3" → "check-in"), or null when it names none. */
export function stepKindOf(step: string | null | undefined): StepKind | null {
  const id = parseStepId(step);
  if (id === null) return null;
  return isCheckInStep(id) ? 'check-in' : (id as Exclude<StepId, CheckInStepId>);
}

/** "Check-in 2": a check-in as a heading or table cell names it. */
export function checkInLabel(n: number): string {
  return `Check-in ${n}`;
}
