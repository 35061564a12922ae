/**
 * Validation of the people a department enrolls. Pure, so the CLI, the roster import and
 * the web share one set of rules and one wording of every problem.
 */
import { isValidTimeZone } from '../domain/zoned-time.ts';

export interface PersonInput {
  fullName: string;
  preferredName: string | null;
  pronouns: string | null;
  email: string;
  timeZone: string;
}

export interface FieldProblem {
  field: string;
  reason: string;
}

// Deliberately plain: one @, a dot in the domain, no spaces or angle brackets.
const EMAIL = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;

/** Folds the blanks a spreadsheet leaves behind: trims, collapses runs of white space. */
export function cleanText(value: string | undefined | null): string {
  // NFC: the same name typed on a Mac (decomposed accents) and on Windows is one name.
  return (value ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function normaliseEmail(value: string | undefined | null): string {
  return cleanText(value).toLowerCase();
}

/**
 * Checks one person's fields; `prefix` names them in problems ("mentor-email").
 * Returns the cleaned person, or the list of problems.
 */
export function validatePerson(
  prefix: string,
  raw: { fullName?: string | null; preferredName?: string | null; pronouns?: string | null; email?: string | null; timeZone?: string | null },
  defaultTimeZone: string,
): { person: PersonInput; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const fullName = cleanText(raw.fullName);
  const email = normaliseEmail(raw.email);
  const timeZone = cleanText(raw.timeZone) || defaultTimeZone;
  if (!fullName) problems.push({ field: `${prefix}-name`, reason: 'is required' });
  else if (fullName.length > 200) problems.push({ field: `${prefix}-name`, reason: 'is longer than 200 characters' });
  if (!email) problems.push({ field: `${prefix}-email`, reason: 'is required' });
  else if (!EMAIL.test(email) || email.length > 254) problems.push({ field: `${prefix}-email`, reason: `"${email}" is not an email address` });
  if (!isValidTimeZone(timeZone)) problems.push({ field: `${prefix}-time-zone`, reason: `"${timeZone}" is not an IANA time zone such as America/New_York` });
  const preferredName = cleanText(raw.preferredName) || null;
  const pronouns = cleanText(raw.pronouns) || null;
  if (preferredName && preferredName.length > 200) problems.push({ field: `${prefix}-preferred-name`, reason: 'is longer than 200 characters' });
  if (pronouns && pronouns.length > 60) problems.push({ field: `${prefix}-pronouns`, reason: 'is longer than 60 characters' });
  return { person: { fullName, preferredName, pronouns, email, timeZone }, problems };
}

/**
 * A calendar date as YYYY-MM-DD (or YYYY/MM/DD), at midnight UTC. Day-first and month-first
 * forms (9/1/2026) are refused: a roster must not be read two ways.
 */
export function parseIsoDate(value: string): Date | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(cleanText(value));
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over into March: only a date that survives the round trip is real.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}
