/**
 * The NIH IDP statement (for an RPPR section B.4 answer): a form for the trainee list (paste,
 * upload, or a program) and, once the list is good, how many of them updated their training
 * goals and reviewed them with their mentor in the last twelve months, with the dates.
 * A list with unknown or malformed lines is answered with those lines and nothing else; what
 * was typed stays in the form.
 */
import { html, type Html } from '../html.ts';
import type { IdpStatement } from '../../reports/idp-statement.ts';
import type { LineProblem } from '../../reports/trainee-list.ts';
import { dateCell } from './display.ts';
import { reportShell } from './report-nav.ts';
import { csrfField } from '../staff/staff-header.ts';
import type { SignedInStaff } from '../../staff/roles.ts';

export interface IdpView {
  staff: SignedInStaff;
  departmentName: string;
  zone: string;
  programs: string[];
  typed: { emails?: string; program?: string };
  problems?: LineProblem[];
  error?: string;
  statement?: IdpStatement;
  /** What the list was: "the uploaded list", "program PhD Biology". */
  source?: string;
}

const day = (d: Date, zone: string) => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone }).format(d);

function form(view: IdpView): Html {
  return html`<form method="post" action="/dashboard/reports/idp" enctype="multipart/form-data" class="card no-print" id="idp-form" aria-describedby="idp-help">
${csrfField(view.staff)}
<p id="idp-help" class="hint" style="margin-top:0">Give the trainees on the training grant: paste their emails (one a line), upload a file with one email a line, or choose a program.</p>
<label for="idp-emails">Trainee emails</label>
<textarea id="idp-emails" name="emails" rows="6" spellcheck="false" autocomplete="off">${view.typed.emails ?? ''}</textarea>
<label for="idp-file">Or upload a list <span class="hint">(.txt or .csv, the email in the first column)</span></label>
<input type="file" id="idp-file" name="file" accept=".txt,.csv,text/plain,text/csv">
<label for="idp-program">Or a program</label>
<select id="idp-program" name="program"><option value="">— no program —</option>
${view.programs.map((p) => html`<option value="${p}"${p === view.typed.program ? html` selected` : ''}>${p}</option>`)}</select>
<div style="display:flex;flex-wrap:wrap;gap:0 1rem">
<button type="submit" name="format" value="html" id="idp-show">Show the statement</button>
<button type="submit" name="format" value="csv" class="secondary" id="idp-csv">Download CSV</button>
</div></form>`;
}

function problemsBlock(problems: LineProblem[]): Html {
  return html`<div class="notice error" role="alert" id="idp-problems"><p style="margin-top:0"><strong>The list has ${problems.length} line${problems.length === 1 ? '' : 's'} Tandem cannot use.</strong> Nothing was counted; fix or remove ${problems.length === 1 ? 'it' : 'them'} and try again.</p>
<ul>${problems.map((p) => html`<li data-line="${p.line}">Line ${p.line}: “${p.text}” ${p.reason}.</li>`)}</ul></div>`;
}

function statementBlock(view: IdpView, s: IdpStatement): Html {
  const zone = view.zone;
  const pct = s.trainees.length ? Math.round((s.reviewed / s.trainees.length) * 100) : 0;
  return html`<section class="card" id="idp-statement" aria-labelledby="idp-statement-heading">
<h2 id="idp-statement-heading" style="margin-top:0">Statement for ${view.source ?? 'the list'}</h2>
<p id="idp-summary">Of <strong>${s.trainees.length}</strong> trainee${s.trainees.length === 1 ? '' : 's'}, <strong id="idp-reviewed">${s.reviewed}</strong> (${pct}%) updated their individual development plan (training and career goals) and reviewed it with their mentor between ${day(s.from, zone)} and ${day(s.to, zone)}.</p>
<div class="scroll" tabindex="0" role="region" aria-labelledby="idp-statement-heading"><table id="idp-table"><caption class="hint" style="text-align:left;padding:.5rem 0">Each trainee's latest update and mentor review in those twelve months.</caption>
<thead><tr><th scope="col">Trainee</th><th scope="col">Mentor</th><th scope="col">Goals updated</th><th scope="col">Reviewed with mentor</th></tr></thead>
<tbody>${s.trainees.map(
    (t) =>
      html`<tr data-email="${t.email}" data-reviewed="${t.reviewedAt ? 'yes' : 'no'}"><th scope="row">${t.name}<div class="hint">${t.email}</div></th><td>${t.mentors.join(', ')}</td><td>${t.updatedAt ? dateCell(t.updatedAt, zone) : html`<span class="hint">not in these twelve months</span>`}</td><td>${t.reviewedAt ? dateCell(t.reviewedAt, zone) : html`<span class="hint">not in these twelve months</span>`}</td></tr>`,
  )}</tbody></table></div></section>`;
}

export function idpPage(view: IdpView): string {
  return reportShell({
    title: 'NIH IDP statement',
    departmentName: view.departmentName,
    staff: view.staff,
    current: '/dashboard/reports/idp',
    body: html`<h1>NIH IDP statement</h1>
<p>How many trainees used an individual development plan in the last twelve months: the numbers a training grant's progress report (RPPR, section B.4) asks for. A plan counts when the trainee updated their training goals in Tandem and their mentor reviewed them.</p>
${view.error ? html`<p class="notice error" role="alert" id="idp-error">${view.error}</p>` : ''}
${view.problems?.length ? problemsBlock(view.problems) : ''}
${form(view)}
${view.statement ? statementBlock(view, view.statement) : ''}`,
  });
}

export function idpCsvRows(statement: IdpStatement, zone: string): (string | number)[][] {
  return [
    ['trainee_email', 'trainee_name', 'mentors', 'goals_updated_on', 'reviewed_with_mentor_on', 'window_from', 'window_to'],
    ...statement.trainees.map((t) => [
      t.email,
      t.name,
      t.mentors.join('; '),
      t.updatedAt ? day(t.updatedAt, zone) : '',
      t.reviewedAt ? day(t.reviewedAt, zone) : '',
      day(statement.from, zone),
      day(statement.to, zone),
    ]),
    ['total', `${statement.reviewed} of ${statement.trainees.length} updated and reviewed`, '', '', '', day(statement.from, zone), day(statement.to, zone)],
  ];
}
