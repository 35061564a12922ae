/**
 * Any roster file a coordinator has, to a parsed roster: .xlsx (first sheet) or text in any
 * encoding decode-roster.ts reads. The size limit is checked here, so the CLI, the API and
 * the page refuse the same files.
 */
import { parseRoster, rosterFromRecords, type ParsedRoster } from './parse-roster.ts';
import { isXlsx, readFirstSheet } from './read-spreadsheet.ts';
import { MAX_ROSTER_BYTES, rosterTooLargeReason } from './roster-limits.ts';

const refused = (reason: string): ParsedRoster => ({ headers: {}, rows: [], missingColumns: [], problems: [{ row: null, column: null, reason }] });

export async function readRoster(input: Buffer | string): Promise<ParsedRoster> {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (bytes > MAX_ROSTER_BYTES) return refused(rosterTooLargeReason(bytes));
  if (typeof input === 'string' || !isXlsx(input)) return parseRoster(input);
  const records = await readFirstSheet(input);
  if (records === null)
    return refused('the file looks like a spreadsheet but Excel’s format could not be read; open it in your spreadsheet and save it again as .xlsx');
  const format = { encoding: 'Excel workbook (.xlsx)', delimiter: null };
  if (records.every((r) => r.every((c) => c === '')))
    return { ...refused('the spreadsheet’s first sheet has no rows; put the roster on the first sheet, header in row 1'), format };
  return rosterFromRecords(records, format);
}
