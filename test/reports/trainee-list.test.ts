/** The trainee list of the NIH IDP statement: emails one a line, every other line reported by its number. */
import { describe, expect, it } from 'vitest';
import { parseTraineeList } from '../../src/reports/trainee-list.ts';

describe('a trainee list', () => {
  it('reads one email a line from pasted text or a CSV column, skipping a header, blanks and repeats', () => {
    const { trainees, problems } = parseTraineeList('\uFEFFEmail\r\nAda@Example.edu, Ada Lovelace\r\n\r\n"grace@example.edu";x\nada@example.edu\n');
    expect(problems).toEqual([]);
    expect(trainees).toEqual([
      { line: 2, email: 'ada@example.edu' },
      { line: 4, email: 'grace@example.edu' },
    ]);
  });

  it('lists each line that is not an email address by its number and text', () => {
    const { trainees, problems } = parseTraineeList('ada@example.edu\nnot an email\nbob@\n=HYPERLINK("x")\n');
    expect(trainees).toEqual([{ line: 1, email: 'ada@example.edu' }]);
    expect(problems).toEqual([
      { line: 2, text: 'not an email', reason: 'is not an email address' },
      { line: 3, text: 'bob@', reason: 'is not an email address' },
      { line: 4, text: '=HYPERLINK("x")', reason: 'is not an email address' },
    ]);
  });
});
