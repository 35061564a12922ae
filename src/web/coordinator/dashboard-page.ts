/** GET /dashboard as HTML: filters, the cohort chart, and the list of cycles, stalled first. */
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import type { Policy } from '../../domain/policy.ts';
import { PAGE_SIZE, STATE_LABELS, STATES, filtersQuery, stageLabel, type DashboardFilters, type RawFilters } from './dashboard-filters.ts';
import type { DashboardRow, StageCount } from '../../stores/dashboard-store.ts';
import { dateCell, owedByText, rungText, statusBadge } from './display.ts';
import { ladderForStep } from '../../domain/ladder.ts';
import { progressChart } from './progress-chart.ts';
import { reportNav } from './report-nav.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import type { AwayNote } from '../../people/away-notes.ts';
import { staffHeader } from '../staff/staff-header.ts';
import { searchForm } from './people-pages.ts';

export interface DashboardView {
  staff: SignedInStaff;
  policy: Policy;
  filters: DashboardFilters;
  /** What the person typed, shown back in the form (also when it was rejected). */
  typed: RawFilters;
  stages: string[];
  programs: string[];
  rows: DashboardRow[];
  counts: StageCount[];
  total: number;
  error?: string;
  /** Time away of a pair's members now, by pair id (src/people/away-notes.ts). */
  away?: Map<string, AwayNote[]>;
}

function filterForm(view: DashboardView): Html {
  const t = view.typed;
  const selected = (a: string | undefined, b: string) => (a === b ? html` selected` : '');
  return html`<form method="get" action="/dashboard" id="filter-form" class="card" role="search" aria-label="Filter cycles">
<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem">
<div><label for="filter-program">Program</label>
<select id="filter-program" name="program"><option value="">All programs</option>
${view.programs.map((p) => html`<option value="${p}"${selected(t.program, p)}>${p}</option>`)}
${t.program && !view.programs.includes(t.program) ? html`<option value="${t.program}" selected>${t.program}</option>` : ''}
</select></div>
<div><label for="filter-mentor">Mentor's email</label>
<input type="email" id="filter-mentor" name="mentor" value="${t.mentor ?? ''}" maxlength="254" autocomplete="off"></div>
<div><label for="filter-stage">Stage</label>
<select id="filter-stage" name="stage"><option value="">All stages</option>
${view.stages.map((s) => html`<option value="${s}"${selected(t.stage, s)}>${stageLabel(s)}</option>`)}
</select></div>
<div><label for="filter-state">State</label>
<select id="filter-state" name="state">
${STATES.map((s) => html`<option value="${s}"${selected(t.state ?? 'open', s)}>${STATE_LABELS[s]}</option>`)}
</select></div>
</div>
<button type="submit" id="filter-apply">Apply filters</button>
<a class="button secondary" href="/dashboard" id="filter-reset">Clear</a>
<a class="button secondary" href="/dashboard/export.csv${filtersQuery({ ...view.filters, page: 1 })}" id="export-csv" download>Download CSV</a>
</form>`;
}

function problems(row: DashboardRow): Html {
  const items: Html[] = [];
  if (row.deliveryProblem) items.push(html`<li>${row.deliveryProblem}</li>`);
  if (row.mentorUndeliverable) items.push(html`<li>Mentor's address refuses mail</li>`);
  if (row.menteeUndeliverable) items.push(html`<li>Mentee's address refuses mail</li>`);
  return items.length ? html`<ul style="margin:0;padding-left:1.1rem;color:var(--bad)">${items}</ul>` : html`<span class="hint">—</span>`;
}

function awayNotes(notes: AwayNote[] | undefined, zone: string): Html {
  if (!notes || notes.length === 0) return html``;
  const day = (d: Date) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: zone }).format(new Date(d.getTime() - 1));
  return html`${notes.map(
    (n) =>
      html`<div class="away-note">${n.role === 'mentor' ? 'Mentor' : 'Mentee'} away until ${day(n.until)}${n.contingency ? html`; contact ${n.contingency.name} (<a href="mailto:${n.contingency.email}">${n.contingency.email}</a>) for ${n.contingency.covers}` : ''}</div>`,
  )}`;
}

function cycleRow(row: DashboardRow, view: DashboardView): Html {
  const zone = view.policy.defaultTimeZone;
  return html`<tr id="cycle-${row.cycleId}" data-cycle-id="${row.cycleId}" data-status="${row.status}">
<td><a href="/dashboard/cycles/${row.cycleId}" class="pair-link"><span class="mentor-name">${row.mentorName}</span> &amp; <span class="mentee-name">${row.menteeName}</span></a>
<div class="hint"><a href="/dashboard${filtersQuery({ ...view.filters, mentor: row.mentorEmail, page: 1 })}" aria-label="${row.mentorEmail}: only pairs of mentor ${row.mentorName}">${row.mentorEmail}</a></div>${awayNotes(view.away?.get(row.pairId), zone)}</td>
<td>${row.program ?? '—'}</td>
<td>${statusBadge(row.status)}</td>
<td>${stageLabel(row.currentStep)}</td>
<td>${row.status === 'stalled' ? dateCell(row.stalledSince, zone) : row.currentStep && row.status !== 'completed' && row.status !== 'ended' ? html`<span class="hint">due</span> ${dateCell(row.dueAt, zone)}` : html`<span class="hint">—</span>`}</td>
<td>${owedByText(row.owedBy)}</td>
<td>${rungText(row.ladderRung, ladderForStep(view.policy, row.currentStep))}</td>
<td>${problems(row)}</td>
</tr>`;
}

function pagination(view: DashboardView): Html {
  const pages = Math.max(1, Math.ceil(view.total / PAGE_SIZE));
  const current = view.filters.page;
  return html`<nav aria-label="Pages" id="pagination" style="display:flex;gap:1rem;align-items:center;margin-top:1rem">
${current > 1 ? html`<a href="/dashboard${filtersQuery(view.filters, { page: current - 1 })}" rel="prev" id="page-prev">← Previous</a>` : ''}
<span>Page ${current} of ${pages}</span>
${current < pages ? html`<a href="/dashboard${filtersQuery(view.filters, { page: current + 1 })}" rel="next" id="page-next">Next →</a>` : ''}
</nav>`;
}

export function dashboardPage(view: DashboardView): string {
  const stalled = view.counts.filter((c) => c.status === 'stalled').reduce((n, c) => n + c.count, 0);
  const from = view.total === 0 ? 0 : (view.filters.page - 1) * PAGE_SIZE + 1;
  const to = Math.min(view.total, view.filters.page * PAGE_SIZE);
  return page({
    title: 'Dashboard',
    departmentName: view.policy.department.name,
    headerExtra: staffHeader(view.staff),
    body: html`<h1>Mentoring cycles</h1>
<p id="summary">${stalled === 0 ? 'No cycle is stalled.' : html`<strong>${stalled}</strong> cycle${stalled === 1 ? ' is' : 's are'} stalled and listed first.`}</p>
${view.error ? html`<p class="notice error" role="alert" id="filter-error">${view.error}</p>` : ''}
${filterForm(view)}
${searchForm('')}
<h2 id="cycles-heading">Cycles <span class="hint">(${from}–${to} of ${view.total})</span></h2>
${
  view.rows.length === 0
    ? html`<p class="notice" id="no-cycles">No cycle matches these filters.</p>`
    : html`<div style="overflow-x:auto"><table id="cycles" aria-labelledby="cycles-heading">
<thead><tr><th scope="col">Pair (mentor &amp; mentee)</th><th scope="col">Program</th><th scope="col">State</th><th scope="col">Step</th><th scope="col">Stalled since / due</th><th scope="col">Owed by</th><th scope="col">Ladder rung</th><th scope="col">Delivery problems</th></tr></thead>
<tbody>${view.rows.map((r) => cycleRow(r, view))}</tbody></table></div>`
}
${pagination(view)}
<h2>Cohort progress</h2>
${progressChart(view.counts, view.stages)}
<h2>Reports and policy</h2>
${reportNav('/dashboard')}`,
  });
}
