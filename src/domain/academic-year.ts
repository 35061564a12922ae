/**
 * Academic years: a year is named by its starting calendar year (2026 is "2026–27") and begins
 * on the policy's `academicYearStart` ("MM-DD"), in UTC. Reading, writing and placing dates in one.
 */
import type { Policy } from './policy.ts';

/** The month (1–12) and day on which every academic year starts. */
export function academicYearStartMonthDay(policy: Pick<Policy, 'academicYearStart'>): { month: number; day: number } {
  const [month, day] = policy.academicYearStart.split('-').map(Number) as [number, number];
  return { month, day };
}

export function academicYearStartDate(policy: Pick<Policy, 'academicYearStart'>, year: number): Date {
  const { month, day } = academicYearStartMonthDay(policy);
  return new Date(Date.UTC(year, month - 1, day));
}

/** The first instant of the following academic year. */
export function academicYearEndDate(policy: Pick<Policy, 'academicYearStart'>, year: number): Date {
  return academicYearStartDate(policy, year + 1);
}

/** The academic year (its starting calendar year) that a date falls in, in UTC. */
export function academicYearOf(policy: Pick<Policy, 'academicYearStart'>, at: Date): number {
  const year = at.getUTCFullYear();
  return at.getTime() >= academicYearStartDate(policy, year).getTime() ? year : year - 1;
}

/** An academic year by its starting calendar year: "2026", "2026-27", "2026–2027", "2026/27". */
export function parseAcademicYear(value: string): number | null {
  const m = /^(\d{4})(?:\s*[-–—/]\s*(\d{2}|\d{4}))?$/.exec(value.trim());
  if (!m) return null;
  const start = Number(m[1]);
  if (start < 2000 || start > 2200) return null;
  if (m[2] !== undefined) {
    const end = Number(m[2].length === 2 ? `${String(start + 1).slice(0, 2)}${m[2]}` : m[2]);
    if (end !== start + 1) return null;
  }
  return start;
}

/** "2026–27", as the department writes it. */
export function formatAcademicYear(year: number): string {
  return `${year}–${String(year + 1).slice(2)}`;
}
