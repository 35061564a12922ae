/**
 * CSV for spreadsheets, safe from formula injection: a cell that starts with = + - @, a tab
 * or a carriage return would be run as a formula by Excel or LibreOffice, so it gets a
 * leading apostrophe (shown as text, never evaluated). Quoting per RFC 4180.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
