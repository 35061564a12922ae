/**
 * The department policy: every duration, window and ladder rung of a mentoring year.
 *
 * Pure (no I/O) so the workflow can carry a validated copy in its input. Durations are in
 * policy days; `timeCompression` says how many policy seconds pass in one real second
 * (1 in production; 604800 — a week a second — for the compressed demo policy).
 */
import { frameworkProblems, type CompetencyFramework } from '../evaluation/competency-framework.ts';
import { DEFAULT_FRAMEWORK } from '../evaluation/default-framework.ts';
import { isValidTimeZone } from './zoned-time.ts';

export type Rung = 'remind-owner' | 'remind-both' | 'notify-coordinator' | 'refer-resource';
export const RUNGS: readonly Rung[] = ['remind-owner', 'remind-both', 'notify-coordinator', 'refer-resource'];

export interface LadderRung {
  rung: Rung;
  /** Days past the step's due date. */
  afterDays: number;
}

export interface StageWindow {
  opensAtDay: number;
  dueAtDay: number;
}

export interface DepartmentResource {
  id: string;
  name: string;
  role: string;
  email: string;
}

export interface Policy {
  department: {
    id: string;
    name: string;
    coordinators: { name: string; email: string }[];
  };
  /** Month and day the academic year starts, "MM-DD". */
  academicYearStart: string;
  yearLengthDays: number;
  timeCompression: number;
  defaultTimeZone: string;
  meetings: {
    defaultCadenceDays: number;
    defaultLocalTime: string;
    durationMinutes: number;
    /** How long after a check-in's end to ask "did you meet?". */
    askOutcomeAfterHours: number;
  };
  stages: {
    expectations: StageWindow;
    checkIns: StageWindow[];
    /** The training-goal re-visit runs alongside this check-in (1-based). */
    trainingGoalsWithCheckIn: number;
    feedback: StageWindow;
    evaluationAtDay: number;
  };
  /** Reminders to whoever owes a step, this many days before it is due. */
  remindBeforeDueDays: number[];
  ladder: LadderRung[];
  /** Per-step ladders that replace the default, keyed by step kind. */
  ladderByStep: Partial<Record<'expectations' | 'check-in' | 'training-goals', LadderRung[]>>;
  resources: DepartmentResource[];
  referralResourceId: string;
  /** Fewest mentee responses a mentor's evaluation packet may show ratings from (pooled across years until met). */
  anonymityThreshold: number;
  /** Each pair's check-in windows open up to this many hours late (fixed per cycle), so a cohort does not wake at one instant; default CHECK_IN_WINDOW_JITTER_HOURS. */
  checkInWindowJitterHours?: number;
  /** Longest time away (leave, sabbatical, …) one announcement may cover, in calendar days; default TIME_AWAY_MAX_DAYS. */
  timeAwayMaxDays?: number;
  /** Replaces the built-in competency framework (src/evaluation/default-framework.ts); see frameworkOf(). */
  competencyFramework?: CompetencyFramework;
}

/** The framework feedback is given under: the policy's own, or the built-in default. */
export function frameworkOf(policy: Pick<Policy, 'competencyFramework'>): CompetencyFramework {
  return policy.competencyFramework ?? DEFAULT_FRAMEWORK;
}

export class PolicyError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid policy:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
    this.name = 'PolicyError';
  }
}

type Check = (problems: string[]) => void;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates raw JSON into a Policy. Every problem is reported by its path, all at once,
 * so a department fixes the file in one pass.
 */
export function parsePolicy(raw: unknown): Policy {
  const problems: string[] = [];
  const p = raw as Policy;
  const num = (path: string, v: unknown, { min = 0, integer = false } = {}): void => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
      problems.push(`${path}: must be ${integer ? 'a whole number' : 'a number'} ≥ ${min} (got ${JSON.stringify(v)})`);
    }
  };
  const str = (path: string, v: unknown): void => {
    if (typeof v !== 'string' || v.trim() === '') problems.push(`${path}: must be a non-empty string`);
  };
  const email = (path: string, v: unknown): void => {
    if (typeof v !== 'string' || !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(v)) problems.push(`${path}: not an email address (got ${JSON.stringify(v)})`);
  };
  const window = (path: string, v: unknown): void => {
    if (!isRecord(v)) return void problems.push(`${path}: must be an object with opensAtDay and dueAtDay`);
    num(`${path}.opensAtDay`, v.opensAtDay);
    num(`${path}.dueAtDay`, v.dueAtDay);
    if (typeof v.opensAtDay === 'number' && typeof v.dueAtDay === 'number' && v.dueAtDay <= v.opensAtDay) {
      problems.push(`${path}: dueAtDay must be after opensAtDay`);
    }
    if (typeof v.dueAtDay === 'number' && typeof p.yearLengthDays === 'number' && v.dueAtDay > p.yearLengthDays) {
      problems.push(`${path}.dueAtDay: must fall within the year (yearLengthDays ${p.yearLengthDays})`);
    }
  };
  const ladder = (path: string, v: unknown): void => {
    if (!Array.isArray(v) || v.length === 0) return void problems.push(`${path}: must be a non-empty list of rungs`);
    let last = -1;
    v.forEach((r: unknown, i) => {
      if (!isRecord(r)) return void problems.push(`${path}[${i}]: must be an object with rung and afterDays`);
      if (!RUNGS.includes(r.rung as Rung)) problems.push(`${path}[${i}].rung: must be one of ${RUNGS.join(', ')} (got ${JSON.stringify(r.rung)})`);
      num(`${path}[${i}].afterDays`, r.afterDays);
      if (typeof r.afterDays === 'number' && r.afterDays <= last) problems.push(`${path}[${i}].afterDays: rungs must climb in time`);
      if (typeof r.afterDays === 'number') last = r.afterDays;
    });
  };

  if (!isRecord(raw)) throw new PolicyError(['policy: must be a JSON object']);
  const checks: Check[] = [
    () => {
      if (!isRecord(p.department)) return void problems.push('department: must be an object');
      str('department.id', p.department.id);
      str('department.name', p.department.name);
      if (!Array.isArray(p.department.coordinators) || p.department.coordinators.length === 0) {
        return void problems.push('department.coordinators: name at least one coordinator');
      }
      p.department.coordinators.forEach((c, i) => {
        str(`department.coordinators[${i}].name`, c?.name);
        email(`department.coordinators[${i}].email`, c?.email);
      });
    },
    () => {
      const m = /^(\d{2})-(\d{2})$/.exec(String(p.academicYearStart));
      if (!m || Number(m[1]) < 1 || Number(m[1]) > 12 || Number(m[2]) < 1 || Number(m[2]) > 28) {
        problems.push(`academicYearStart: must be "MM-DD" with a day from 01 to 28 (got ${JSON.stringify(p.academicYearStart)})`);
      }
    },
    () => num('yearLengthDays', p.yearLengthDays, { min: 1 }),
    () => num('timeCompression', p.timeCompression, { min: 1 }),
    () => {
      if (typeof p.defaultTimeZone !== 'string' || !isValidTimeZone(p.defaultTimeZone)) {
        problems.push(`defaultTimeZone: not an IANA time zone (got ${JSON.stringify(p.defaultTimeZone)})`);
      }
    },
    () => {
      if (!isRecord(p.meetings)) return void problems.push('meetings: must be an object');
      num('meetings.defaultCadenceDays', p.meetings.defaultCadenceDays, { min: 1 });
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(String(p.meetings.defaultLocalTime))) {
        problems.push(`meetings.defaultLocalTime: must be "HH:MM" (got ${JSON.stringify(p.meetings.defaultLocalTime)})`);
      }
      num('meetings.durationMinutes', p.meetings.durationMinutes, { min: 5, integer: true });
      num('meetings.askOutcomeAfterHours', p.meetings.askOutcomeAfterHours);
    },
    () => {
      const s = p.stages;
      if (!isRecord(s)) return void problems.push('stages: must be an object');
      window('stages.expectations', s.expectations);
      if (!Array.isArray(s.checkIns) || s.checkIns.length === 0) problems.push('stages.checkIns: must list at least one check-in window');
      else s.checkIns.forEach((w, i) => window(`stages.checkIns[${i}]`, w));
      num('stages.trainingGoalsWithCheckIn', s.trainingGoalsWithCheckIn, { min: 1, integer: true });
      if (Array.isArray(s.checkIns) && typeof s.trainingGoalsWithCheckIn === 'number' && s.trainingGoalsWithCheckIn > s.checkIns.length) {
        problems.push(`stages.trainingGoalsWithCheckIn: there are only ${s.checkIns.length} check-ins`);
      }
      window('stages.feedback', s.feedback);
      num('stages.evaluationAtDay', s.evaluationAtDay);
      if (typeof s.evaluationAtDay === 'number' && isRecord(s.feedback) && typeof s.feedback.dueAtDay === 'number' && s.evaluationAtDay < s.feedback.dueAtDay) {
        problems.push('stages.evaluationAtDay: must not come before the feedback window closes');
      }
      if (typeof s.evaluationAtDay === 'number' && typeof p.yearLengthDays === 'number' && s.evaluationAtDay > p.yearLengthDays) {
        problems.push('stages.evaluationAtDay: must fall within the year');
      }
    },
    () => {
      if (!Array.isArray(p.remindBeforeDueDays)) return void problems.push('remindBeforeDueDays: must be a list of days');
      p.remindBeforeDueDays.forEach((d, i) => num(`remindBeforeDueDays[${i}]`, d));
    },
    () => ladder('ladder', p.ladder),
    () => {
      if (p.ladderByStep === undefined) return;
      if (!isRecord(p.ladderByStep)) return void problems.push('ladderByStep: must be an object');
      for (const [step, rungs] of Object.entries(p.ladderByStep)) {
        if (!['expectations', 'check-in', 'training-goals'].includes(step)) problems.push(`ladderByStep.${step}: no such step`);
        ladder(`ladderByStep.${step}`, rungs);
      }
    },
    () => {
      if (!Array.isArray(p.resources) || p.resources.length === 0) return void problems.push('resources: list at least one department resource');
      const ids = new Set<string>();
      p.resources.forEach((r, i) => {
        str(`resources[${i}].id`, r?.id);
        str(`resources[${i}].name`, r?.name);
        str(`resources[${i}].role`, r?.role);
        email(`resources[${i}].email`, r?.email);
        if (ids.has(r?.id)) problems.push(`resources[${i}].id: "${r.id}" is listed twice`);
        ids.add(r?.id);
      });
      if (!ids.has(p.referralResourceId)) problems.push(`referralResourceId: no resource with id ${JSON.stringify(p.referralResourceId)}`);
    },
    () => num('anonymityThreshold', p.anonymityThreshold, { min: 2, integer: true }),
    () => p.checkInWindowJitterHours === undefined || num('checkInWindowJitterHours', p.checkInWindowJitterHours),
    () => p.timeAwayMaxDays === undefined || num('timeAwayMaxDays', p.timeAwayMaxDays, { min: 1, integer: true }),
    () => {
      if (p.competencyFramework !== undefined) problems.push(...frameworkProblems(p.competencyFramework));
    },
  ];
  for (const check of checks) check(problems);
  if (problems.length > 0) throw new PolicyError(problems);
  return { ...p, ladderByStep: p.ladderByStep ?? {} };
}

/** A sabbatical is at most a year; a little slack for one that starts and ends mid-week. */
export const TIME_AWAY_MAX_DAYS = 380;

export function timeAwayMaxDays(policy: Pick<Policy, 'timeAwayMaxDays'>): number {
  return policy.timeAwayMaxDays ?? TIME_AWAY_MAX_DAYS;
}

/** A few hours spread a cohort's wake-up (5,000 pairs over 4 hours: one pair each 3 s) at no cost to a 70-day window. */
export const CHECK_IN_WINDOW_JITTER_HOURS = 4;

export function checkInWindowJitterHours(policy: Pick<Policy, 'checkInWindowJitterHours'>): number {
  return policy.checkInWindowJitterHours ?? CHECK_IN_WINDOW_JITTER_HOURS;
}

/** Real milliseconds for a span of policy days. */
export function policyDaysToMs(policy: Pick<Policy, 'timeCompression'>, days: number): number {
  return (days * 86_400_000) / policy.timeCompression;
}
