/**
 * GET /dashboard/reports: the year report of one academic year and program, its five-year
 * trend (table and SVG chart), links to the CSV and the printable page. The printable page
 * is this page with `print=1`; for `share=outside`, counts from fewer pairs than the
 * anonymity threshold read "fewer than N".
 */
import { html, type Html } from '../html.ts';
import { reportLines, shownCount, TREND_SERIES, type Audience, type ReportLine } from '../../reports/report-lines.ts';
import { trendChart } from '../../reports/trend-chart.ts';
import type { YearReport } from '../../stores/year-report-store.ts';
import { reportShell } from './report-nav.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { formatAcademicYear } from '../../domain/academic-year.ts';

export interface ReportView {
  staff: SignedInStaff;
  departmentName: string;
  threshold: number;
  report: YearReport;
  trend: YearReport[];
  years: number[];
  programs: string[];
  audience: Audience;
  print: boolean;
  error?: string;
}

export function reportQuery(view: Pick<ReportView, 'report'>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    year: String(view.report.academicYear),
    ...(view.report.program !== null ? { program: view.report.program } : {}),
    ...extra,
  });
  return `?${params.toString()}`;
}

function choiceForm(view: ReportView): Html {
  const years = [...new Set([view.report.academicYear, ...view.years])].sort((a, b) => b - a);
  return html`<form method="get" action="/dashboard/reports" class="card no-print" id="report-form" aria-label="Choose the year and program">
<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem">
<div><label for="report-year">Academic year</label>
<select id="report-year" name="year">${years.map((y) => html`<option value="${y}"${y === view.report.academicYear ? html` selected` : ''}>${formatAcademicYear(y)}</option>`)}</select></div>
<div><label for="report-program">Program</label>
<select id="report-program" name="program"><option value="">All programs</option>
${view.programs.map((p) => html`<option value="${p}"${p === view.report.program ? html` selected` : ''}>${p}</option>`)}</select></div>
</div>
<button type="submit" id="report-show">Show report</button>
</form>`;
}

function exportsBlock(view: ReportView): Html {
  return html`<div class="card no-print" id="report-exports"><h2 style="margin-top:0">Exports</h2>
<p class="hint">Copies meant to leave the department show any count from fewer than ${view.threshold} pairs as “fewer than ${view.threshold}”.</p>
<ul>
<li><a href="/dashboard/reports.csv${reportQuery(view)}" id="csv-department" download>CSV for the department</a></li>
<li><a href="/dashboard/reports.csv${reportQuery(view, { share: 'outside' })}" id="csv-outside" download>CSV to share outside the department</a></li>
<li><a href="/dashboard/reports${reportQuery(view, { print: '1' })}" id="print-department">Printable page for the department</a></li>
<li><a href="/dashboard/reports${reportQuery(view, { print: '1', share: 'outside' })}" id="print-outside">Printable page to share outside the department</a></li>
</ul></div>`;
}

function sectionTables(view: ReportView): Html {
  const lines = reportLines(view.report);
  const sections = [...new Set(lines.map((l) => l.section))];
  const id = (s: string) => `section-${s.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return html`${sections.map(
    (s) => html`<h2 id="${id(s)}">${s}</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="${id(s)}"><table aria-labelledby="${id(s)}" data-section="${s}"><thead><tr><th scope="col">Measure</th><th scope="col" class="count">Count</th></tr></thead>
<tbody>${lines.filter((l) => l.section === s).map((l: ReportLine) => html`<tr><th scope="row">${l.measure}</th><td class="count" data-measure="${l.measure}">${shownCount(l.cell, view.audience, view.threshold)}</td></tr>`)}</tbody></table></div>`,
  )}`;
}

function trendBlock(view: ReportView): Html {
  return html`<h2 id="trend-heading">Trend over five years</h2>
<figure style="margin:0">${trendChart(view.trend, 'trend-table')}</figure>
<div class="scroll" tabindex="0" role="region" aria-labelledby="trend-heading"><table id="trend-table" aria-labelledby="trend-heading">
<caption style="text-align:left;padding:.5rem 0" class="hint">The chart's numbers, per academic year.</caption>
<thead><tr><th scope="col">Academic year</th>${TREND_SERIES.map((s) => html`<th scope="col" class="count">${s.label}</th>`)}<th scope="col" class="count">Check-ins held of planned</th></tr></thead>
<tbody>${view.trend.map(
    (r) =>
      html`<tr data-year="${r.academicYear}"><th scope="row">${formatAcademicYear(r.academicYear)}</th>${TREND_SERIES.map((s) => html`<td class="count" data-series="${s.key}">${shownCount(s.of(r), view.audience, view.threshold)}</td>`)}<td class="count">${shownCount(r.checkIns.held, view.audience, view.threshold)} of ${shownCount(r.checkIns.planned, view.audience, view.threshold)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function reportPage(view: ReportView): string {
  const r = view.report;
  const scope = r.program ?? 'all programs';
  const empty = r.pairs.value === 0;
  return reportShell({
    title: `Year report ${formatAcademicYear(r.academicYear)}`,
    departmentName: view.departmentName,
    staff: view.staff,
    current: '/dashboard/reports',
    print: view.print,
    body: html`<h1>Year report ${formatAcademicYear(r.academicYear)} <span class="hint">· ${scope}</span></h1>
<p class="hint" id="report-scope">${view.departmentName}. Counts of pairs and steps only: no ratings and nothing anyone wrote.${view.audience === 'outside' ? html` <strong>For sharing outside the department:</strong> counts from fewer than ${view.threshold} pairs read “fewer than ${view.threshold}”.` : ''}</p>
${view.error ? html`<p class="notice error" role="alert" id="report-error">${view.error}</p>` : ''}
${view.print ? html`<p class="no-print"><a href="/dashboard/reports${reportQuery(view)}">Back to the report</a></p>` : html`${choiceForm(view)}${exportsBlock(view)}`}
${empty ? html`<p class="notice" id="no-cycles">There are no cycles in ${formatAcademicYear(r.academicYear)} for ${scope}: nothing to report for that year.</p>` : sectionTables(view)}
${trendBlock(view)}`,
  });
}
