/**
 * The cohort's progress by stage: one table that is both the chart and its data. Each row
 * has the numbers as text (read by screen readers and the keyboard) and a bar drawn with CSS
 * (hidden from assistive technology, since it repeats the numbers).
 */
import { html, type Html } from '../html.ts';
import { stageLabel } from './dashboard-filters.ts';
import type { StageCount } from '../../stores/dashboard-store.ts';

interface ChartRow {
  key: string;
  label: string;
  total: number;
  stalled: number;
}

export function progressRows(counts: StageCount[], stages: string[]): ChartRow[] {
  const rows: ChartRow[] = stages.map((s) => ({ key: s, label: stageLabel(s), total: 0, stalled: 0 }));
  const completed: ChartRow = { key: 'completed', label: 'Year completed', total: 0, stalled: 0 };
  const ended: ChartRow = { key: 'ended', label: 'Pair ended', total: 0, stalled: 0 };
  for (const c of counts) {
    const row = c.status === 'ended' ? ended : c.status === 'completed' || c.step === null ? completed : rows.find((r) => r.key === c.step);
    if (!row) continue;
    row.total += c.count;
    if (c.status === 'stalled') row.stalled += c.count;
  }
  return [...rows, completed, ended];
}

export function progressChart(counts: StageCount[], stages: string[]): Html {
  const rows = progressRows(counts, stages);
  const max = Math.max(1, ...rows.map((r) => r.total));
  const pct = (n: number) => ((n / max) * 100).toFixed(1);
  // The bars keep a usable width on a phone; the table scrolls inside its box rather than the page.
  return html`<div style="overflow-x:auto"><table class="progress" id="progress-chart" aria-describedby="progress-caption">
<caption id="progress-caption" style="text-align:left;font-weight:600;padding:.5rem 0">Cycles by stage (under the program and mentor filters). Stalled cycles are the darker part of each bar.</caption>
<thead><tr><th scope="col">Stage</th><th scope="col">Cycles</th><th scope="col">Stalled</th><th scope="col"><span class="visually-hidden">Bar</span></th></tr></thead>
<tbody>
${rows.map(
  (r) => html`<tr data-stage="${r.key}"><th scope="row">${r.label}</th><td>${r.total}</td><td>${r.stalled}</td>
<td style="width:55%"><div style="min-width:4rem"><div aria-hidden="true" style="background:#dbe6f3;height:1rem;border-radius:3px;width:${pct(r.total)}%;min-width:${r.total > 0 ? '2px' : '0'};overflow:hidden"><div style="background:#9a3b00;height:100%;width:${r.total ? ((r.stalled / r.total) * 100).toFixed(1) : '0'}%"></div></div></div></td></tr>`,
)}
</tbody></table></div>`;
}
