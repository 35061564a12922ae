import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/domain/policy.ts';
import { detectDelimiter, parseRoster } from '../../src/enrollment/parse-roster.ts';
import { columnForHeader, columnLetter } from '../../src/enrollment/roster-columns.ts';
import { validateRoster } from '../../src/enrollment/validate-roster.ts';
import { parseAcademicYear } from '../../src/domain/academic-year.ts';
import { parseIsoDate } from '../../src/enrollment/validate-person.ts';
import defaultPolicy from '../../policy/default.json' with { type: 'json' };
import { BAD_ROSTERS, FORMATS_DIR, badRosterFiles, formatFiles, readBadRoster } from './bad-rosters.ts';

const policy = parsePolicy(defaultPolicy);
const NOW = new Date('2026-11-22T08:00:00Z');
const check = (csv: Buffer | string) => validateRoster(parseRoster(csv), policy, NOW);

describe('roster parsing and validation (pure)', () => {
  it('has an expectation for every bad roster in the corpus, and at least 20 of them', () => {
    expect(badRosterFiles()).toEqual(Object.keys(BAD_ROSTERS).sort());
    expect(badRosterFiles().length).toBeGreaterThanOrEqual(20);
  });

  for (const [file, expected] of Object.entries(BAD_ROSTERS).filter(([, e]) => !e.needsDatabase)) {
    it(`rejects ${file} at row ${expected.row}, column ${expected.column}`, () => {
      const { problems, requests } = check(readBadRoster(file));
      expect(problems).toEqual([
        { row: expected.row, column: expected.column, reason: typeof expected.reason === 'string' ? expected.reason : expect.stringMatching(expected.reason) },
      ]);
      expect(requests.length).toBeLessThan(3);
    });
  }

  it('reads every tolerated export format as the same three pairs', () => {
    const results = formatFiles().map((file) => ({ file, ...check(readFileSync(path.join(FORMATS_DIR, file))) }));
    expect(results.map((r) => r.file)).toEqual(
      expect.arrayContaining(['bom.csv', 'semicolon.csv', 'crlf.csv', 'quoted-newlines.csv', 'blanks.csv', 'mixed-case.csv']),
    );
    const reference = results.find((r) => r.file === 'plain.csv')!;
    expect(reference.problems).toEqual([]);
    expect(reference.requests).toHaveLength(3);
    expect(reference.requests[0]).toEqual({
      mentor: { fullName: 'Ada Lovelace', preferredName: 'Ada', pronouns: 'she/her', email: 'ada@example.edu', timeZone: 'Europe/London' },
      mentee: { fullName: 'Grace Brewster Hopper', preferredName: 'Grace', pronouns: 'she/her', email: 'grace@example.edu', timeZone: 'America/New_York' },
      program: 'PhD Biology',
      meetingPreferences: 'Tuesdays in person',
      academicYear: 2099,
      startsAt: new Date('2099-09-07T00:00:00Z'),
    });
    // No start date: the academic year's first day (policy academicYearStart 09-01).
    expect(reference.requests[1]!.startsAt).toEqual(new Date('2099-09-01T00:00:00Z'));
    for (const r of results) {
      expect({ file: r.file, problems: r.problems }).toEqual({ file: r.file, problems: [] });
      expect({ file: r.file, requests: r.requests }).toEqual({ file: r.file, requests: reference.requests });
    }
  });

  it('numbers rows as a spreadsheet shows them: blank lines count, a quoted newline does not start a row', () => {
    const csv =
      'mentor_name,mentor_email,mentee_name,mentee_email,program,academic_year\n\n"Ada\nLovelace",ada@example.edu,Grace,grace@example.edu,PhD,2099\nAlan,alan@example,Kath,k@example.edu,PhD,2099\n';
    expect(check(csv).problems).toEqual([{ row: 4, column: 'mentor_email', reason: '"alan@example" is not an email address' }]);
  });

  it('reports every problem at once, not just the first', () => {
    const csv =
      'mentor_name,mentor_email,mentee_name,mentee_email,program,academic_year\n,bad,Grace,grace@example.edu,PhD,2099\nAlan,alan@example.edu,Kath,k@example.edu,,soon\n';
    expect(check(csv).problems).toEqual([
      { row: 2, column: 'mentor_name', reason: 'is required' },
      { row: 2, column: 'mentor_email', reason: '"bad" is not an email address' },
      { row: 3, column: 'program', reason: 'is required' },
      { row: 3, column: 'academic_year', reason: '"soon" is not an academic year such as 2026 or 2026-27' },
    ]);
  });

  it('detects the delimiter from the header, ignoring quoted ones', () => {
    expect(detectDelimiter('a;b;c\n1,2;3;4')).toBe(';');
    expect(detectDelimiter('"x;y;z",b,c\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
  });

  it('matches headers in any case with spaces, underscores or hyphens', () => {
    expect(columnForHeader(' Mentee E-mail ')).toBe('mentee_email');
    expect(columnForHeader('MENTOR_PREFERRED-NAME')).toBe('mentor_preferred_name');
    expect(columnForHeader('Year')).toBe('academic_year');
    expect(columnForHeader('Favourite colour')).toBeUndefined();
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });

  it('reads academic years and dates one way only', () => {
    expect(['2026', '2026-27', '2026–2027', '2026/27', '2099-00'].map(parseAcademicYear)).toEqual([2026, 2026, 2026, 2026, 2099]);
    expect(['2026-28', '26', 'fall', '1999'].map(parseAcademicYear)).toEqual([null, null, null, null]);
    expect(parseIsoDate('2026-09-01')).toEqual(new Date('2026-09-01T00:00:00Z'));
    expect(parseIsoDate('2026/9/1')).toEqual(new Date('2026-09-01T00:00:00Z'));
    expect(['9/1/2026', '2026-13-01', '2027-02-29', 'tomorrow'].map(parseIsoDate)).toEqual([null, null, null, null]);
  });
});
