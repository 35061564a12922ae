/**
 * The year report as CSV: one line per measure, the trend's years after the year's own lines.
 * Cells go through the stricter spreadsheet-safe writer (a program named "=…" stays text);
 * for `outside`, counts from fewer pairs than the threshold read "fewer than N".
 */
import { csvRows } from '../evaluation/spreadsheet-csv.ts';
import { reportLines, shownCount, TREND_SERIES, type Audience } from './report-lines.ts';
import type { YearReport } from '../stores/year-report-store.ts';

export function yearReportCsv(report: YearReport, trend: YearReport[], audience: Audience, threshold: number): string {
  const program = report.program ?? 'All programs';
  const rows: (string | number)[][] = [['academic_year', 'program', 'section', 'measure', 'count']];
  for (const line of reportLines(report)) rows.push([report.academicYear, program, line.section, line.measure, shownCount(line.cell, audience, threshold)]);
  for (const year of trend) {
    for (const s of TREND_SERIES) rows.push([year.academicYear, program, 'Trend', s.label, shownCount(s.of(year), audience, threshold)]);
  }
  return csvRows(rows);
}
