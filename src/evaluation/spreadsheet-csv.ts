/**
 * CSV that is safe to open in a spreadsheet: RFC 4180 quoting, and any cell that a
 * spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return,
 * also after leading spaces) is prefixed with an apostrophe so it shows as text.
 * A mentor named "=HYPERLINK(…)" stays a name.
 */

const FORMULA_START = /^[\s]*[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRows(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
