/**
 * Enrolling one mentor–mentee pair (`tandem enroll-pair`): validated here, then the same
 * path as a roster (enroll-pairs.ts). Repeating it changes nothing and starts nothing new.
 */
import { academicYearOf } from '../domain/academic-year.ts';
import type { Policy } from '../domain/policy.ts';
import { EnrollmentConflictError, enrollPairs, type EnrollDeps, type PairRequest } from './enroll-pairs.ts';
import { cleanText, validatePerson, type FieldProblem } from './validate-person.ts';

export type { EnrollDeps } from './enroll-pairs.ts';

export class EnrollmentValidationError extends Error {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
    this.problems = problems;
    this.name = 'EnrollmentValidationError';
  }
}

export interface EnrollPairInput {
  mentor: { fullName?: string; preferredName?: string; pronouns?: string; email?: string; timeZone?: string };
  mentee: { fullName?: string; preferredName?: string; pronouns?: string; email?: string; timeZone?: string };
  program?: string;
  /** When the year's plan starts; defaults to now. */
  startsAt?: Date;
}

export interface EnrollPairResult {
  pairId: string;
  cycleId: string;
  workflowId: string;
  academicYear: number;
  started: boolean;
}

export function validateEnrollPair(input: EnrollPairInput, policy: Policy, now: Date = new Date()): PairRequest {
  const checked = {
    mentor: validatePerson('mentor', input.mentor, policy.defaultTimeZone),
    mentee: validatePerson('mentee', input.mentee, policy.defaultTimeZone),
  };
  const problems = [...checked.mentor.problems, ...checked.mentee.problems];
  if (checked.mentor.person.email && checked.mentor.person.email === checked.mentee.person.email) {
    problems.push({ field: 'mentee-email', reason: 'is the same person as the mentor' });
  }
  if (input.startsAt && Number.isNaN(input.startsAt.getTime())) problems.push({ field: 'start', reason: 'is not a date' });
  if (problems.length > 0) throw new EnrollmentValidationError(problems);
  const startsAt = input.startsAt ?? now;
  // A time zone left out keeps the one already stored (a new person gets the policy's).
  const person = (who: 'mentor' | 'mentee') => ({ ...checked[who].person, timeZone: cleanText(input[who].timeZone) ? checked[who].person.timeZone : null });
  return {
    mentor: person('mentor'),
    mentee: person('mentee'),
    program: cleanText(input.program) || null,
    meetingPreferences: null,
    academicYear: academicYearOf(policy, startsAt),
    startsAt,
  };
}

export async function enrollPair(deps: EnrollDeps, input: EnrollPairInput): Promise<EnrollPairResult> {
  const request = validateEnrollPair(input, deps.policy);
  let outcome;
  try {
    outcome = await enrollPairs(deps, [request]);
  } catch (error) {
    if (error instanceof EnrollmentConflictError) throw new EnrollmentValidationError(error.problems.map(({ field, reason }) => ({ field, reason })));
    throw error;
  }
  const [cycle] = outcome.cycles;
  if (!cycle) {
    const why = outcome.plan.pairs[0]!.outcome === 'ended' ? 'the pair was ended' : "the pair's earlier cycle is still running and carries on into this year";
    throw new EnrollmentValidationError([{ field: 'mentee-email', reason: `${why}; nothing to start` }]);
  }
  if (outcome.starts!.error) throw new Error(`the pair is saved but its cycle did not start: ${outcome.starts!.error}`);
  return { pairId: cycle.pairId, cycleId: cycle.cycleId, workflowId: cycle.workflowId, academicYear: cycle.academicYear, started: cycle.status === 'started' };
}
