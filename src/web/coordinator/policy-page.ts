/**
 * GET /dashboard/policy: the policy in effect, read-only. Changes are made in the policy file
 * and checked with `tandem policy check FILE` before deploying, so they are reviewed like code.
 */
import { html, type Html } from '../html.ts';
import { WHO_TAKES_IT } from '../../reports/policy-diff.ts';
import { daysText, stepLabel, type PolicySummary } from '../../reports/policy-summary.ts';
import { dateCell } from './display.ts';
import { reportShell } from './report-nav.ts';
import type { SignedInStaff } from '../../staff/roles.ts';

export interface PolicyView {
  staff: SignedInStaff;
  summary: PolicySummary;
  policyFile: string;
  enrolledAt: Date;
  zone: string;
}

function calendar(view: PolicyView): Html {
  const s = view.summary;
  return html`<h2 id="calendar-heading">The year of a pair enrolled today</h2>
<p class="hint">Dates in ${view.zone}, from the planner the workflows use, for a pair enrolled on ${dateCell(view.enrolledAt, view.zone)}.${s.timeCompression !== 1 ? html` <strong>This is a compressed policy</strong> (${s.timeCompression} policy seconds a second): the whole year passes in minutes.` : ''}</p>
<div class="scroll" tabindex="0" role="region" aria-labelledby="calendar-heading"><table id="policy-calendar" aria-labelledby="calendar-heading"><thead><tr><th scope="col">Step</th><th scope="col">Opens</th><th scope="col">Due</th></tr></thead>
<tbody>${s.calendar.map((c) => html`<tr data-step="${c.stepId}"><th scope="row">${stepLabel(c.stepId)}</th><td>${dateCell(c.opensAt, view.zone)}</td><td>${c.kind === 'evaluation' ? html`<span class="hint">produced then</span>` : dateCell(c.dueAt, view.zone)}</td></tr>`)}
<tr data-step="year-end"><th scope="row">The next year begins</th><td>${dateCell(s.yearEndsAt, view.zone)}</td><td></td></tr></tbody></table></div>`;
}

function ladders(view: PolicyView): Html {
  return html`<h2 id="ladder-heading">Escalation ladder, per step</h2>
<p class="hint">When a step is overdue, each rung fires once, counted from the due date, and the ladder stops as soon as the step is done.</p>
${view.summary.ladders.map(
  (
    l,
  ) => html`<h3 id="ladder-${l.kind}">${l.label}${l.own ? html` <span class="hint">(its own ladder)</span>` : html` <span class="hint">(the default ladder)</span>`}</h3>
<ol data-ladder="${l.kind}">${l.rungs.map((r) => html`<li>${daysText(r.afterDays)} past due: ${r.words}${r.rung === 'refer-resource' && view.summary.referralResource ? html` (${view.summary.referralResource.name})` : ''}</li>`)}</ol>`,
)}`;
}

export function policyPage(view: PolicyView): string {
  const s = view.summary;
  return reportShell({
    title: 'Policy in effect',
    departmentName: s.departmentName,
    staff: view.staff,
    current: '/dashboard/policy',
    body: html`<h1>The policy in effect</h1>
<div class="card"><dl class="facts">
<dt>Policy file</dt><dd><code id="policy-file">${view.policyFile}</code></dd>
<dt>Department</dt><dd>${s.departmentName}</dd>
<dt>Anonymity threshold</dt><dd id="anonymity-threshold">${s.anonymityThreshold} — a mentor's ratings are shown only from ${s.anonymityThreshold} or more mentee responses, and report copies for outside the department hide any count from fewer than ${s.anonymityThreshold} pairs</dd>
</dl>
<p style="margin-bottom:0">To change the policy, edit the file, run <code>tandem policy check FILE</code> to see what would change, and deploy it like code. ${WHO_TAKES_IT}</p></div>
${calendar(view)}
${ladders(view)}
<h2 id="reminders-heading">Reminders</h2>
<p id="policy-reminders">${s.remindBeforeDueDays.length === 0 ? 'No reminders before due dates.' : html`Whoever owes a step is reminded ${s.remindBeforeDueDays.map(daysText).join(' and ')} before it is due.`}</p>
<h2 id="resources-heading">Department resources</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="resources-heading"><table id="policy-resources" aria-labelledby="resources-heading"><thead><tr><th scope="col">Resource</th><th scope="col">For</th><th scope="col">Email</th></tr></thead>
<tbody>${s.resources.map((r) => html`<tr data-resource="${r.id}"><th scope="row">${r.name}${r.id === s.referralResource?.id ? html` <span class="badge">receives referrals</span>` : ''}</th><td>${r.role}</td><td><a href="mailto:${r.email}">${r.email}</a></td></tr>`)}</tbody></table></div>`,
  });
}
