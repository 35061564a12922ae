/**
 * Validation of the people a department enrolls. Pure, so the CLI, the roster import and
 * the web share one set of rules and one wording of every problem.
 */

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

export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Folds the blanks a spreadsheet leaves behind: trims, collapses runs of white space. */
export function cleanText(value: string | undefined | null): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
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
