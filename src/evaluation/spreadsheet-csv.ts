/**
 * The one CSV writer for anything a person downloads (dashboard, packets, reports).
 * CSV that is safe to open in a spreadsheet: RFC 4180 quoting, and any cell that a
 * spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return,
 * also after leading spaces) is prefixed with an apostrophe so it shows as text.
 * A mentor named "=HYPERLINK(…)" stays a name.
 */

const FORMULA_START = /^[\s]*[=+\-@\t\r]/;

type Cell = string | number | boolean | null | undefined;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Cells are quoted when they hold a ";" too: a spreadsheet set to ";" as its separator would
 * otherwise split "Zed;=1+1" and run the second half as a formula.
 */
export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

export function csvRows(rows: readonly (readonly Cell[])[]): string {
  return rows.map(csvLine).join('');
}
