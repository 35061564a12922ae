/**
 * Reading a roster CSV as a department's systems export it: any encoding decode-roster.ts
 * reads, comma, semicolon or tab delimited (detected from the header), quoted fields spanning
 * lines, Windows or Unix line endings, blank lines and trailing empty columns; or the rows of
 * a spreadsheet's first sheet (read-spreadsheet.ts), checked the same way.
 *
 * Rows are numbered as a spreadsheet shows them: the header is row 1, a quoted field with
 * newlines stays one row, and blank lines still count.
 */
import { parse } from 'csv-parse/sync';
import { CsvError } from 'csv-parse';
import { decodeRoster } from './decode-roster.ts';
import { columnForHeader, columnLetter, REQUIRED_COLUMNS, ROSTER_COLUMNS, type RosterColumn } from './roster-columns.ts';

/** One problem a person can find and fix: spreadsheet row, column header as they wrote it, reason. */
export interface RosterProblem {
  row: number | null;
  column: string | null;
  reason: string;
}

export interface RosterRow {
  row: number;
  values: Partial<Record<RosterColumn, string>>;
}

/** How the file was read, shown in the preview so a person sees at once whether names came through. */
export interface RosterFormat {
  /** "UTF-8", "UTF-8 with BOM", "UTF-16 LE", "UTF-16 BE", "Windows-1252", "Excel workbook (.xlsx)", "text". */
  encoding: string;
  /** Null for a spreadsheet. */
  delimiter: string | null;
}

export interface ParsedRoster {
  format?: RosterFormat;
  /** Header text as written, by roster column: problems name columns the way the person sees them. */
  headers: Partial<Record<RosterColumn, string>>;
  rows: RosterRow[];
  /** Required columns the header lacks (each reported once, as a header problem). */
  missingColumns: RosterColumn[];
  problems: RosterProblem[];
}

export function describeProblem(p: RosterProblem): string {
  const where = [p.row === null ? null : `row ${p.row}`, p.column === null ? null : `column "${p.column}"`].filter(Boolean).join(', ');
  return where ? `${where}: ${p.reason}` : p.reason;
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter that splits the header line most often, counting only outside quotes. */
export function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

const isBlank = (fields: string[]) => fields.every((f) => f.trim() === '');

export function parseRoster(input: Buffer | string): ParsedRoster {
  const empty: ParsedRoster = { headers: {}, rows: [], missingColumns: [], problems: [] };
  const decoded = decodeRoster(input);
  if ('problem' in decoded) return { ...empty, problems: [decoded.problem] };
  const text = decoded.text;
  if (text.trim() === '') return { ...empty, problems: [{ row: null, column: null, reason: 'the file is empty' }] };
  const delimiter = detectDelimiter(text);
  const format: RosterFormat = { encoding: decoded.encoding, delimiter };

  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      trim: true,
    }) as string[][];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const at = (error as CsvError & { records?: number }).records;
    const reason = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (a " is missing)' : `cannot be read as CSV (${error.message})`;
    return { ...empty, format, problems: [{ row: typeof at === 'number' ? at + 1 : null, column: null, reason }] };
  }
  return rosterFromRecords(records, format);
}

/** The roster in `records` (one array of cells per spreadsheet row, row 1 first). */
export function rosterFromRecords(records: string[][], format: RosterFormat): ParsedRoster {
  if (records.every(isBlank))
    return { headers: {}, rows: [], missingColumns: [], problems: [{ row: null, column: null, reason: 'the file is empty' }], format };
  // Blank lines before the header are rows too, as a spreadsheet shows them.
  const headerIndex = records.findIndex((r) => !isBlank(r));
  const headerRow = headerIndex + 1;
  const headerFields = records[headerIndex]!;
  // A first row that names no roster column is data (or not a roster at all): say that once.
  if (!headerFields.some((h) => columnForHeader(h.replace(/\s+/g, ' ').trim()))) {
    return {
      headers: {},
      rows: [],
      missingColumns: [],
      format,
      problems: [
        {
          row: headerRow,
          column: null,
          reason: `this row should be the header naming the columns (${REQUIRED_COLUMNS.join(', ')} and others), but none of its cells is a roster column`,
        },
      ],
    };
  }
  const dataRecords = records.slice(headerIndex + 1).map((fields, i) => ({ row: headerRow + 1 + i, fields }));
  const problems: RosterProblem[] = [];
  const headers: ParsedRoster['headers'] = {};
  const columnAt: (RosterColumn | undefined)[] = [];
  const seenAt = new Map<RosterColumn, number>();

  headerFields.forEach((raw, index) => {
    const header = raw.replace(/\s+/g, ' ').trim();
    if (header === '') {
      // Spreadsheets leave empty trailing columns; only a column holding values needs a name.
      if (dataRecords.some((r) => (r.fields[index] ?? '').trim() !== '')) {
        problems.push({ row: headerRow, column: columnLetter(index), reason: 'this column has values but no header' });
      }
      return;
    }
    const column = columnForHeader(header);
    if (!column) {
      problems.push({ row: headerRow, column: header, reason: `is not a roster column; the columns are ${ROSTER_COLUMNS.join(', ')}` });
      return;
    }
    const earlier = seenAt.get(column);
    if (earlier !== undefined) {
      problems.push({ row: headerRow, column: header, reason: `appears twice (columns ${columnLetter(earlier)} and ${columnLetter(index)})` });
      return;
    }
    seenAt.set(column, index);
    headers[column] = header;
    columnAt[index] = column;
  });
  const missingColumns = REQUIRED_COLUMNS.filter((column) => !seenAt.has(column));
  for (const column of missingColumns) {
    problems.push({ row: headerRow, column, reason: 'required column is missing from the header' });
  }

  const rows: RosterRow[] = [];
  for (const { row, fields } of dataRecords) {
    if (isBlank(fields)) continue;
    for (let index = headerFields.length; index < fields.length; index++) {
      if (fields[index]!.trim() !== '') {
        problems.push({ row, column: columnLetter(index), reason: `has a value but no header (the header has ${headerFields.length} columns)` });
      }
    }
    const values: RosterRow['values'] = {};
    columnAt.forEach((column, index) => {
      if (column) values[column] = fields[index] ?? '';
    });
    rows.push({ row, values });
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ row: null, column: null, reason: 'the roster has a header but no pairs' });
  return { headers, rows, missingColumns, problems, format };
}
