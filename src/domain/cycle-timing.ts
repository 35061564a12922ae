/**
 * The part of the policy a cycle workflow is started with: only what decides its timing
 * (stages, ladder, reminders, meeting defaults, compression, zone). The department, its
 * coordinators and the resources directory carry names and email addresses, which must not sit
 * in workflow histories (operators read them); the activities read those from their own
 * dependencies when they send.
 */
import type { Policy } from './policy.ts';

export type CycleTiming = Pick<
  Policy,
  | 'academicYearStart'
  | 'yearLengthDays'
  | 'timeCompression'
  | 'defaultTimeZone'
  | 'meetings'
  | 'stages'
  | 'remindBeforeDueDays'
  | 'ladder'
  | 'ladderByStep'
  | 'checkInWindowJitterHours'
>;

export function cycleTimingOf(policy: CycleTiming): CycleTiming {
  return {
    academicYearStart: policy.academicYearStart,
    yearLengthDays: policy.yearLengthDays,
    timeCompression: policy.timeCompression,
    defaultTimeZone: policy.defaultTimeZone,
    meetings: policy.meetings,
    stages: policy.stages,
    remindBeforeDueDays: policy.remindBeforeDueDays,
    ladder: policy.ladder,
    ladderByStep: policy.ladderByStep,
    // Only when the department set it: inputs otherwise stay as they were (the default applies).
    ...(policy.checkInWindowJitterHours === undefined ? {} : { checkInWindowJitterHours: policy.checkInWindowJitterHours }),
  };
}

/**
 * The policy as the workflow's pure functions take it. Cycles started before the input was
 * slimmed carry the whole policy (their recorded histories replay with it unchanged); newer
 * ones carry only the timing, and the directory parts, which no workflow code reads, are empty.
 */
export function workflowPolicy(given: CycleTiming | Policy): Policy {
  return { department: { id: '', name: '', coordinators: [] }, resources: [], referralResourceId: '', anonymityThreshold: 0, ...given };
}
