/**
 * The roster's columns. Header names match in any case, with spaces, underscores or hyphens
 * ("Mentor Email", "mentor_email", "MENTOR-EMAIL"), plus a few aliases seen in real exports.
 */

export const ROSTER_COLUMNS = [
  'mentor_name',
  'mentor_preferred_name',
  'mentor_pronouns',
  'mentor_email',
  'mentor_time_zone',
  'mentee_name',
  'mentee_preferred_name',
  'mentee_pronouns',
  'mentee_email',
  'mentee_time_zone',
  'program',
  'academic_year',
  'start_date',
  'meeting_preferences',
] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly RosterColumn[] = ['mentor_name', 'mentor_email', 'mentee_name', 'mentee_email', 'program', 'academic_year'];

/** "Mentor E-mail" → "mentoremail": the form headers are compared in. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '');
}

const ALIASES: Record<string, RosterColumn> = {
  mentorfullname: 'mentor_name',
  menteefullname: 'mentee_name',
  mentortimezone: 'mentor_time_zone',
  mentortz: 'mentor_time_zone',
  menteetimezone: 'mentee_time_zone',
  menteetz: 'mentee_time_zone',
  mentoremailaddress: 'mentor_email',
  menteeemailaddress: 'mentee_email',
  year: 'academic_year',
  programme: 'program',
  startdate: 'start_date',
  start: 'start_date',
  meetingpreference: 'meeting_preferences',
};

const BY_KEY = new Map<string, RosterColumn>([...ROSTER_COLUMNS.map((c) => [headerKey(c), c] as const), ...Object.entries(ALIASES)]);

export function columnForHeader(header: string): RosterColumn | undefined {
  return BY_KEY.get(headerKey(header));
}

/** Spreadsheet letters for a 0-based column index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
