/**
 * Checking what a person types about themselves: each problem names the field and the
 * reason, and nothing is saved while any remains. Names and pronouns are text: they are
 * escaped wherever shown, kept to one line in headers, and neutralised in spreadsheets; here
 * we refuse what no name needs (control characters) and what no pronoun needs (markup).
 */
import type { TimeAwayKind } from '../../db/schema.ts';

export interface FieldProblem {
  field: string;
  message: string;
}

export const NAME_MAX = 100;
export const PRONOUNS_MAX = 40;
export const CONTINGENCY_MAX = 200;

/** Offered as choices; anything else may be typed. */
export const COMMON_PRONOUNS = ['she/her', 'he/him', 'they/them', 'she/they', 'he/they', 'ze/zir'] as const;

// C0 and C1 controls, and the Unicode line/paragraph separators and bidi overrides that could reorder a line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const MARKUP = /[<>&"`{}[\]\\]/;

const zones = new Set<string>([...Intl.supportedValuesOf('timeZone'), 'UTC']);

export function isKnownTimeZone(zone: string): boolean {
  return zones.has(zone);
}

export interface ProfileInput {
  preferredName: string;
  pronouns: string | null;
  timeZone: string;
}

export function parseProfile(body: Record<string, string | undefined>): { ok: true; value: ProfileInput } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const name = (body.preferred_name ?? '').normalize('NFC').trim();
  if (name === '') problems.push({ field: 'preferred_name', message: 'Enter the name you would like to be called by.' });
  else if (name.length > NAME_MAX) problems.push({ field: 'preferred_name', message: `Your name must be ${NAME_MAX} characters or fewer (it is ${name.length}).` });
  else if (CONTROL.test(name)) problems.push({ field: 'preferred_name', message: 'Your name contains an invisible control character; please type it again.' });

  const chosen = (body.pronouns_choice ?? '').trim();
  const typed = (body.pronouns_other ?? '').normalize('NFC').trim();
  let pronouns: string | null = null;
  if (chosen === 'other') {
    if (typed === '') problems.push({ field: 'pronouns_other', message: 'Type your pronouns, or choose one of the options.' });
    else if (typed.length > PRONOUNS_MAX) problems.push({ field: 'pronouns_other', message: `Pronouns must be ${PRONOUNS_MAX} characters or fewer (they are ${typed.length}).` });
    else if (CONTROL.test(typed)) problems.push({ field: 'pronouns_other', message: 'Your pronouns contain an invisible control character; please type them again.' });
    else if (MARKUP.test(typed)) problems.push({ field: 'pronouns_other', message: 'Pronouns are plain words: please leave out < > & " ` { } [ ] and \\.' });
    else pronouns = typed;
  } else if (chosen === 'none' || chosen === '') {
    pronouns = null;
  } else if ((COMMON_PRONOUNS as readonly string[]).includes(chosen)) {
    pronouns = chosen;
  } else {
    problems.push({ field: 'pronouns_choice', message: 'Choose one of the pronoun options, or "Something else" and type yours.' });
  }

  const timeZone = (body.time_zone ?? '').trim();
  if (!isKnownTimeZone(timeZone)) problems.push({ field: 'time_zone', message: `"${timeZone.slice(0, 60)}" is not a time zone we know; choose one from the list (for example America/New_York).` });

  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { preferredName: name, pronouns, timeZone } };
}

export const TIME_AWAY_KINDS: readonly { value: TimeAwayKind; label: string }[] = [
  { value: 'leave', label: 'Leave' },
  { value: 'sabbatical', label: 'Sabbatical' },
  { value: 'parental-leave', label: 'Parental leave' },
  { value: 'fieldwork', label: 'Fieldwork' },
  { value: 'travel', label: 'Travel' },
];

export interface TimeAwayInput {
  kind: TimeAwayKind;
  /** Local dates "YYYY-MM-DD", first and last day away (inclusive). */
  firstDay: string;
  lastDay: string;
  pauseSteps: boolean;
  contingency: { name: string; email: string; covers: string } | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Whole days from the first to the last day away, both counted. */
export function daysAway(firstDay: string, lastDay: string): number {
  return Math.round((Date.parse(`${lastDay}T00:00:00Z`) - Date.parse(`${firstDay}T00:00:00Z`)) / 86_400_000) + 1;
}

export function parseTimeAway(
  body: Record<string, string | undefined>,
  options: { contingencyRequired: boolean; maxDays: number; today: string },
): { ok: true; value: TimeAwayInput } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const kind = TIME_AWAY_KINDS.find((k) => k.value === body.kind)?.value;
  if (!kind) problems.push({ field: 'kind', message: 'Choose what kind of time away this is.' });
  const firstDay = (body.first_day ?? '').trim();
  const lastDay = (body.last_day ?? '').trim();
  if (!validDate(firstDay)) problems.push({ field: 'first_day', message: 'Enter your first day away as a date (year-month-day).' });
  else if (firstDay < options.today) problems.push({ field: 'first_day', message: 'Your first day away cannot be in the past.' });
  if (!validDate(lastDay)) problems.push({ field: 'last_day', message: 'Enter your last day away as a date (year-month-day).' });
  if (validDate(firstDay) && validDate(lastDay)) {
    if (lastDay < firstDay) problems.push({ field: 'last_day', message: 'Your last day away is before your first day away.' });
    else if (daysAway(firstDay, lastDay) > options.maxDays) {
      problems.push({ field: 'last_day', message: `Time away can be announced for at most ${options.maxDays} days at a time (this is ${daysAway(firstDay, lastDay)}). Announce the rest later, or ask the coordinator.` });
    }
  }
  const pause = body.pause;
  if (pause !== 'pause' && pause !== 'inform') problems.push({ field: 'pause', message: 'Choose whether to pause your mentoring steps or only let people know.' });

  const name = (body.contingency_name ?? '').trim();
  const email = (body.contingency_email ?? '').trim().toLowerCase();
  const covers = (body.contingency_covers ?? '').trim();
  let contingency: TimeAwayInput['contingency'] = null;
  if (name || email || covers || options.contingencyRequired) {
    const need = options.contingencyRequired ? ' (required for a mentor)' : '';
    if (!name) problems.push({ field: 'contingency_name', message: `Enter who to contact while you are away${need}.` });
    else if (name.length > NAME_MAX || CONTROL.test(name)) problems.push({ field: 'contingency_name', message: `The contact's name must be plain text of ${NAME_MAX} characters or fewer.` });
    if (!EMAIL.test(email) || email.length > 254) problems.push({ field: 'contingency_email', message: `Enter the contact's email address${need}, like name@example.edu.` });
    if (!covers) problems.push({ field: 'contingency_covers', message: `Say what the contact covers while you are away${need}.` });
    else if (covers.length > CONTINGENCY_MAX || CONTROL.test(covers)) problems.push({ field: 'contingency_covers', message: `What the contact covers must be plain text of ${CONTINGENCY_MAX} characters or fewer.` });
    if (name && email && covers) contingency = { name, email, covers };
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { kind: kind!, firstDay, lastDay, pauseSteps: pause === 'pause', contingency } };
}
