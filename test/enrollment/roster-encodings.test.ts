/** Files coordinators actually have: encodings, spreadsheets, and files that are not rosters. Pure. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/domain/policy.ts';
import { readRoster } from '../../src/enrollment/read-roster.ts';
import { MAX_ROSTER_BYTES } from '../../src/enrollment/roster-limits.ts';
import { validateRoster } from '../../src/enrollment/validate-roster.ts';
import defaultPolicy from '../../policy/default.json' with { type: 'json' };

const policy = parsePolicy(defaultPolicy);
const NOW = new Date('2026-11-22T08:00:00Z');
const HEADER = ['mentor_name', 'mentor_email', 'mentee_name', 'mentee_email', 'program', 'academic_year'];
const check = async (file: Buffer | string) => {
  const parsed = await readRoster(file);
  return { parsed, ...validateRoster(parsed, policy, NOW) };
};

async function workbook(rows: (string | number | Date)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Roster');
  for (const row of rows) sheet.addRow(row);
  book.addWorksheet('Notes').addRow(['not read']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('roster encodings and spreadsheets', () => {
  it('reads Excel’s Windows "CSV" (Windows-1252) without mojibake, and says so', async () => {
    const text = `${HEADER.join(',')}\nJosé García,jose@example.edu,Zoë Ørsted,zoe@example.edu,PhD Biology,2026\n`;
    const { parsed, requests, problems } = await check(Buffer.from(text, 'latin1'));
    expect(problems).toEqual([]);
    expect(parsed.format).toEqual({ encoding: 'Windows-1252', delimiter: ',' });
    expect(requests[0]!.mentor.fullName).toBe('José García');
    expect(requests[0]!.mentee.fullName).toBe('Zoë Ørsted');
  });

  it('reads UTF-16 with a byte-order mark (Excel “Unicode Text”, tab-separated)', async () => {
    const text = `${HEADER.join('\t')}\r\nJosé García\tjose@example.edu\t李雷\tli@example.edu\tPhD Biology\t2026\r\n`;
    for (const [bytes, encoding] of [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'UTF-16 LE'],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), 'UTF-16 BE'],
    ] as const) {
      const { parsed, requests, problems } = await check(bytes);
      expect(problems).toEqual([]);
      expect(parsed.format).toEqual({ encoding, delimiter: '\t' });
      expect(requests[0]!.mentee.fullName).toBe('李雷');
    }
  });

  it('treats a name typed decomposed (NFD, a Mac) and composed (NFC, Windows) as one person, stored in NFC', async () => {
    const nfd = 'José García'.normalize('NFD');
    const text = `${HEADER.join(',')}\n${nfd},jose@example.edu,Ann Bell,ann@example.edu,PhD Biology,2026\nJosé García,jose@example.edu,Cy Dunn,cy@example.edu,PhD Biology,2026\n`;
    const { requests, problems } = await check(Buffer.from(text));
    expect(problems).toEqual([]);
    expect(requests.map((r) => r.mentor.fullName)).toEqual(['José García', 'José García']);
    expect(requests[0]!.mentor.fullName).toBe('José García'.normalize('NFC'));
  });

  it('reads the first sheet of an .xlsx workbook, numbering rows as Excel does, dates as YYYY-MM-DD', async () => {
    const file = await workbook([
      [...HEADER, 'start_date'],
      ['Marie Curie', 'marie@example.edu', 'Irène Joliot', 'irene@example.edu', 'PhD Biology', 2026, new Date(Date.UTC(2026, 8, 14))],
      ['Pierre Curie', 'not-an-email', 'Paul Langevin', 'paul@example.edu', 'PhD Biology', '2026-27', ''],
    ]);
    const { parsed, requests, problems } = await check(file);
    expect(parsed.format).toEqual({ encoding: 'Excel workbook (.xlsx)', delimiter: null });
    expect(problems).toEqual([{ row: 3, column: 'mentor_email', reason: '"not-an-email" is not an email address' }]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.startsAt.toISOString()).toBe('2026-09-14T00:00:00.000Z');
  });

  it('refuses a spreadsheet with no rows, a file with no header, a binary file and an oversized one, each with what to do', async () => {
    expect((await check(await workbook([]))).problems).toEqual([{ row: null, column: null, reason: expect.stringMatching(/first sheet has no rows/) }]);
    const noHeader = await check('Marie Curie,marie@example.edu,Irène Joliot,irene@example.edu,PhD Biology,2026\n');
    expect(noHeader.problems).toEqual([{ row: 1, column: null, reason: expect.stringMatching(/should be the header/) }]);
    const notRoster = await check('Dear all,\nplease find the list attached.\n');
    expect(notRoster.problems).toEqual([{ row: 1, column: null, reason: expect.stringMatching(/should be the header/) }]);
    const binary = await check(Buffer.from([0x00, 0x01, 0x02, 0x41, 0x42, 0x00, 0xff]));
    expect(binary.problems).toEqual([{ row: null, column: null, reason: expect.stringMatching(/binary data/) }]);
    const big = await check(Buffer.alloc(MAX_ROSTER_BYTES + 1, 0x61));
    expect(big.problems).toEqual([{ row: null, column: null, reason: expect.stringMatching(/over the 20 MB limit/) }]);
  });
});
