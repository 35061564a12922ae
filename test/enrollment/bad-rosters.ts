/**
 * The corpus of bad rosters (test/fixtures/rosters/bad/) and what each must be rejected for:
 * the spreadsheet row, the column as its header is written, and the reason. Fixtures use the
 * academic year 2099 so that they never fall into the past.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const BAD_ROSTER_DIR = path.resolve(import.meta.dirname, '../fixtures/rosters/bad');
export const FORMATS_DIR = path.resolve(import.meta.dirname, '../fixtures/rosters/formats');

export interface Expected {
  row: number | null;
  column: string | null;
  reason: string | RegExp;
  /** Only the database knows this is wrong: the fixture is checked by the import tests. */
  needsDatabase?: boolean;
}

export const BAD_ROSTERS: Record<string, Expected> = {
  'empty.csv': { row: null, column: null, reason: 'the file is empty' },
  'header-only.csv': { row: null, column: null, reason: 'the roster has a header but no pairs' },
  'missing-required-column.csv': { row: 1, column: 'mentee_email', reason: 'required column is missing from the header' },
  'unknown-column.csv': { row: 1, column: 'Favourite Colour', reason: /^is not a roster column; the columns are mentor_name, / },
  'duplicate-column.csv': { row: 1, column: 'mentor_email', reason: 'appears twice (columns B and G)' },
  'value-without-header.csv': { row: 1, column: 'K', reason: 'this column has values but no header' },
  'malformed-email.csv': { row: 3, column: 'Mentor Email', reason: '"alan.example.edu" is not an email address' },
  'missing-email-value.csv': { row: 3, column: 'mentor_email', reason: 'is required' },
  'missing-mentee-name.csv': { row: 2, column: 'mentee_name', reason: 'is required' },
  'missing-program.csv': { row: 3, column: 'program', reason: 'is required' },
  'unknown-time-zone.csv': { row: 3, column: 'mentee_time_zone', reason: '"Mars/Olympus_Mons" is not an IANA time zone such as America/New_York' },
  'same-person.csv': { row: 2, column: 'mentee_email', reason: 'is the same person as the mentor' },
  'duplicate-pair.csv': { row: 4, column: 'mentee_email', reason: 'the same pair is already on row 2' },
  'reversed-pair.csv': { row: 3, column: 'mentee_email', reason: 'row 2 pairs the same two people the other way round' },
  'two-names-one-email.csv': { row: 3, column: 'mentor_name', reason: 'ada@example.edu is "Ada King" here but "Ada Lovelace" on row 2' },
  'conflicting-pronouns.csv': { row: 3, column: 'mentee_pronouns', reason: 'grace@example.edu has pronouns "they/them" here but "she/her" on row 2' },
  'bad-start-date.csv': { row: 2, column: 'start_date', reason: '"07/09/2099" is not a date in the form YYYY-MM-DD' },
  'impossible-date.csv': { row: 3, column: 'start_date', reason: '"2099-02-30" is not a date in the form YYYY-MM-DD' },
  'start-outside-year.csv': { row: 2, column: 'start_date', reason: '2101-01-15 is not in the academic year 2099–00' },
  'bad-academic-year.csv': { row: 2, column: 'academic_year', reason: '"next year" is not an academic year such as 2026 or 2026-27' },
  'academic-year-over.csv': { row: 2, column: 'academic_year', reason: '2001–02 is over' },
  'unclosed-quote.csv': { row: 3, column: null, reason: 'a quoted field is never closed (a " is missing)' },
  'extra-field.csv': { row: 2, column: 'O', reason: 'has a value but no header (the header has 14 columns)' },
  'binary.csv': { row: null, column: null, reason: 'the file is a PDF document, not a roster; export the roster from your spreadsheet as CSV UTF-8 or .xlsx' },
  'name-differs-from-database.csv': {
    row: 2,
    column: 'mentor_name',
    reason: 'alan@example.edu is already enrolled as "Alan Turing", not "Alan M. Turing"',
    needsDatabase: true,
  },
};

export function readBadRoster(file: string): Buffer {
  return readFileSync(path.join(BAD_ROSTER_DIR, file));
}

export function badRosterFiles(): string[] {
  return readdirSync(BAD_ROSTER_DIR).sort();
}

export function formatFiles(): string[] {
  return readdirSync(FORMATS_DIR).sort();
}
