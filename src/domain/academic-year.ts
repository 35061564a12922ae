/** Academic-year dates from the policy's `academicYearStart` ("MM-DD"), in UTC. */
import type { Policy } from './policy.ts';

export function academicYearStartDate(policy: Pick<Policy, 'academicYearStart'>, year: number): Date {
  const [month, day] = policy.academicYearStart.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, day));
}

/** The first instant of the following academic year. */
export function academicYearEndDate(policy: Pick<Policy, 'academicYearStart'>, year: number): Date {
  return academicYearStartDate(policy, year + 1);
}
