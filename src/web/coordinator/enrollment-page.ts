/**
 * The enrollment pages as HTML: the upload form with past imports, the problems of a roster
 * that cannot be imported, the preview of one that can, the progress of cycle starts, and a
 * page for each refusal. No scripts (staff pages allow none): progress is a page to reload.
 */
import type { PairRequest } from '../../enrollment/enroll-pairs.ts';
import type { RosterFormat } from '../../enrollment/parse-roster.ts';
import type { RosterColumn } from '../../enrollment/roster-columns.ts';
import type { ImportProgress, PastImport, RosterPreview, ShownProblem } from '../../enrollment/roster-imports.ts';
import { MAX_ROSTER_BYTES } from '../../enrollment/roster-limits.ts';
import { formatAcademicYear } from '../../domain/academic-year.ts';
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import { csrfField, staffHeader } from '../staff/staff-header.ts';
import type { SignedInStaff } from '../../staff/roles.ts';

export interface EnrollmentPageContext {
  staff: SignedInStaff;
  departmentName: string;
}

/** Lists longer than this show their first entries and a count of the rest. */
const LIST_LIMIT = 200;
const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };
const STYLES = `.scroll { overflow-x:auto; } td { overflow-wrap:anywhere; } .value { font-family:ui-monospace,monospace; white-space:pre-wrap; }
progress { width:100%; height:1.25rem; } .counts { display:flex; flex-wrap:wrap; gap:.25rem 1.5rem; padding:0; list-style:none; }`;

function shell(ctx: EnrollmentPageContext, title: string, body: Html): string {
  return page({ title, departmentName: ctx.departmentName, headerExtra: staffHeader(ctx.staff), styles: STYLES, body });
}

/** A table that scrolls sideways inside itself on a phone, reachable by keyboard. */
function scrollTable(id: string, label: string, head: string[], rows: Html[]): Html {
  return html`<div class="scroll" role="region" aria-label="${label}" tabindex="0"><table id="${id}">
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function capped<T>(items: T[], render: (item: T) => Html): Html {
  return html`${items.slice(0, LIST_LIMIT).map(render)}${items.length > LIST_LIMIT ? html`<li class="hint">… and ${items.length - LIST_LIMIT} more</li>` : ''}`;
}

function uploadForm(ctx: EnrollmentPageContext, typedPaste = ''): Html {
  return html`<form method="post" action="/dashboard/enrollment/preview" enctype="multipart/form-data" class="card" id="upload-form">
${csrfField(ctx.staff)}
<h2 style="margin-top:0">Check a roster</h2>
<p class="hint">Nothing is imported until you have seen the preview and confirmed it.</p>
<label for="roster-file">Roster file <span class="hint">(.xlsx, or CSV / tab-separated text in UTF-8, UTF-16 or Windows encoding; at most ${MAX_ROSTER_BYTES / 1024 / 1024} MB)</span></label>
<input type="file" id="roster-file" name="roster" accept=".csv,.txt,.tsv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
<label for="roster-paste">…or paste the rows, header first <span class="hint">(copied from your spreadsheet)</span></label>
<textarea id="roster-paste" name="paste" rows="6" spellcheck="false">${typedPaste}</textarea>
<p class="hint">Columns: mentor_name, mentor_email, mentee_name, mentee_email, program, academic_year (required); mentor_/mentee_ preferred_name, pronouns, time_zone; start_date (YYYY-MM-DD); meeting_preferences.</p>
<button type="submit" id="preview-button">Check and preview</button>
</form>`;
}

function pastImports(imports: PastImport[]): Html {
  if (imports.length === 0) return html`<p id="no-imports">No roster has been imported from here yet.</p>`;
  return scrollTable(
    'past-imports',
    'Past imports',
    ['When', 'Who', 'File', 'Rows', 'Summary'],
    imports.map((i) => {
      const s = i.summary;
      const summary = s
        ? `${s.people.new} new people, ${s.people.updated} updated; ${s.pairs.new} new pairs, ${s.pairs.updated + s.pairs.unchanged} already enrolled`
        : '';
      return html`<tr><td><a href="/dashboard/enrollment/imports/${i.id}"><time datetime="${(i.confirmedAt ?? i.previewedAt).toISOString()}">${(i.confirmedAt ?? i.previewedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC</time></a></td>
<td>${i.by}</td><td>${i.fileName}</td><td>${i.rowCount}</td><td>${summary}</td></tr>`;
    }),
  );
}

export function enrollmentHomePage(ctx: EnrollmentPageContext, imports: PastImport[]): string {
  return shell(
    ctx,
    'Enrollment',
    html`<h1>Enroll mentoring pairs</h1>
<p>Upload the cohort's roster as your spreadsheet saves it. Tandem checks every row first and shows what importing would change; a pair that joins after its start date starts where the year is, without reminders for deadlines before it joined.</p>
${uploadForm(ctx)}
<h2 id="past-heading">Past imports</h2>
${pastImports(imports)}`,
  );
}

function formatLine(format: RosterFormat | null, fileName: string, rows?: number): Html {
  if (!format) return html``;
  const how = format.delimiter === null ? format.encoding : `${format.encoding}, ${DELIMITERS[format.delimiter] ?? format.delimiter}-separated`;
  return html`<p id="read-as">Read <strong>${fileName}</strong> as <strong>${how}</strong>${rows === undefined ? '' : html`: ${rows} row${rows === 1 ? '' : 's'} of pairs`}.</p>
${format.encoding === 'Windows-1252' ? html`<p class="notice" id="encoding-note">This file is not UTF-8, so it was read as Windows-1252 (what Excel's plain “CSV” saves on Windows). Check below that accented names came through right; if not, save the file as “CSV UTF-8” and upload it again.</p>` : ''}`;
}

export function problemsPage(
  ctx: EnrollmentPageContext,
  view: { problems: ShownProblem[]; format: RosterFormat | null; fileName: string; typedPaste: string },
): string {
  const n = view.problems.length;
  return shell(
    ctx,
    'The roster was not imported',
    html`<h1>The roster was not imported</h1>
<p class="notice error" role="alert" id="problems-summary">${n} problem${n === 1 ? '' : 's'} found. Nothing was changed. Fix ${n === 1 ? 'it' : 'them'} in your spreadsheet and upload the file again.</p>
${formatLine(view.format, view.fileName)}
${scrollTable(
  'problems',
  'Problems',
  ['Row', 'Column', 'Value as read', 'Problem'],
  view.problems.map((p) => html`<tr><td>${p.row ?? '—'}</td><td>${p.column ?? '—'}</td><td class="value">${p.value ?? ''}</td><td>${p.reason}</td></tr>`),
)}
${uploadForm(ctx, view.typedPaste)}`,
  );
}

const FIRST_ROW_COLUMNS: RosterColumn[] = [
  'mentor_name',
  'mentor_email',
  'mentee_name',
  'mentee_preferred_name',
  'mentee_email',
  'program',
  'academic_year',
  'start_date',
];

function pairLine(r: PairRequest): Html {
  return html`<li>${r.mentor.fullName} &lt;${r.mentor.email}&gt; → ${r.mentee.fullName} &lt;${r.mentee.email}&gt; <span class="hint">(${formatAcademicYear(r.academicYear)}, starts ${r.startsAt.toISOString().slice(0, 10)})</span></li>`;
}

export function previewPage(ctx: EnrollmentPageContext, preview: RosterPreview): string {
  const { plan, summary: s } = preview;
  const byOutcome = (outcome: string) => preview.requests.filter((_, i) => plan.pairs[i]!.outcome === outcome);
  const newPairs = byOutcome('new');
  const programs = [...new Set(newPairs.map((r) => r.program ?? '—'))].sort();
  const known = preview.requests.filter((_, i) => ['updated', 'unchanged'].includes(plan.pairs[i]!.outcome));
  const toStart = plan.pairs.filter((p) => p.outcome !== 'ended' && p.outcome !== 'continuing').length;
  return shell(
    ctx,
    'Preview the roster',
    html`<h1>Preview: nothing is imported yet</h1>
${formatLine(preview.format, preview.fileName, preview.rowCount)}
<h2 id="first-rows-heading">The first rows as Tandem read them</h2>
${scrollTable(
  'first-rows',
  'First rows as read',
  ['Row', ...FIRST_ROW_COLUMNS.map((c) => c.replace(/_/g, ' '))],
  preview.firstRows.map((r) => html`<tr><td>${r.row}</td>${FIRST_ROW_COLUMNS.map((c) => html`<td>${r.values[c] ?? ''}</td>`)}</tr>`),
)}
<h2>What importing would do</h2>
<ul class="counts" id="preview-counts">
<li><strong id="count-new-people">${s.people.new}</strong> new people</li>
<li><strong id="count-updated-people">${s.people.updated}</strong> updated</li>
<li><strong id="count-new-pairs">${s.pairs.new}</strong> new pairs</li>
<li><strong id="count-unchanged-pairs">${s.pairs.updated + s.pairs.unchanged}</strong> already enrolled</li>
<li><strong id="count-missing">${plan.missingPairs.length}</strong> left out</li>
</ul>
${
  preview.warnings.length
    ? html`<h2 id="warnings-heading">Worth a second look <span class="hint">(these do not stop the import)</span></h2>
${scrollTable(
  'warnings',
  'Warnings',
  ['Row', 'Column', 'Value', 'Why'],
  preview.warnings.map((w) => html`<tr><td>${w.row}</td><td>${w.column}</td><td class="value">${w.value}</td><td>${w.reason}</td></tr>`),
)}`
    : ''
}
<h2 id="new-pairs-heading">New pairs by program</h2>
${
  newPairs.length === 0
    ? html`<p>None.</p>`
    : programs.map(
        (program) =>
          html`<h3>${program}</h3><ul class="new-pairs" data-program="${program}">${capped(
            newPairs.filter((r) => (r.program ?? '—') === program),
            pairLine,
          )}</ul>`,
      )
}
<h2>New people</h2>
${plan.newPeople.length === 0 ? html`<p>None.</p>` : html`<ul id="new-people">${capped(plan.newPeople, (e) => html`<li>${e}</li>`)}</ul>`}
<h2>Updated people</h2>
${plan.updatedPeople.length === 0 ? html`<p>None.</p>` : html`<ul id="updated-people">${capped(plan.updatedPeople, (p) => html`<li>${p.email}: ${p.changes.map((c, i) => html`${i ? '; ' : ''}${c.field}: ${c.from ?? '(none)'} → ${c.to}`)}</li>`)}</ul>`}
<h2>Pairs already enrolled</h2>
${known.length === 0 ? html`<p>None.</p>` : html`<ul id="unchanged-pairs">${capped(known, pairLine)}</ul>`}
${byOutcome('ended').length ? html`<p class="notice" id="ended-pairs">${byOutcome('ended').length} pair(s) in the roster were ended earlier and are not restarted; re-enrolling them is a coordinator's decision on the dashboard.</p>` : ''}
<h2 id="missing-heading">Active pairs of these programs that the roster leaves out</h2>
${
  plan.missingPairs.length === 0
    ? html`<p id="no-missing">None.</p>`
    : html`<p>They stay enrolled; end them from the dashboard if they should stop.</p><ul id="missing-pairs">${capped(plan.missingPairs, (m) => html`<li>${m.mentorEmail} → ${m.menteeEmail} <span class="hint">(${m.program ?? '—'})</span></li>`)}</ul>`
}
<form method="post" action="/dashboard/enrollment/confirm" class="card" id="confirm-form">
${csrfField(ctx.staff)}
<input type="hidden" name="importId" value="${preview.importId ?? ''}">
<p>Importing writes exactly this preview and starts ${toStart} cycle${toStart === 1 ? '' : 's'} (a cycle already running is left as it is).</p>
<button type="submit" id="confirm-button">Import ${s.pairsInRoster} pair${s.pairsInRoster === 1 ? '' : 's'}</button>
<a class="button secondary" href="/dashboard/enrollment">Upload a different file</a>
</form>`,
  );
}

export function progressPage(ctx: EnrollmentPageContext, progress: ImportProgress, notice?: string): string {
  const done = progress.started + progress.alreadyRunning;
  return shell(
    ctx,
    'Import progress',
    html`<h1>Importing ${progress.fileName}</h1>
${notice ? html`<p class="notice" role="status" id="import-notice">${notice}</p>` : ''}
${
  progress.complete
    ? html`<p class="notice success" role="status" id="import-complete">All ${progress.total} cycle${progress.total === 1 ? ' has' : 's have'} started${progress.alreadyRunning ? html` (${progress.alreadyRunning} were already running)` : ''}. The new pairs are on the <a href="/dashboard">dashboard</a>.</p>`
    : html`<p id="import-running">The roster is saved and its cycles are starting. This carries on if you close the page. <a href="/dashboard/enrollment/imports/${progress.importId}" id="refresh-progress">Reload to see progress</a>.</p>`
}
<label for="start-progress">Cycles started: <span id="progress-count">${done} of ${progress.total}</span></label>
<progress id="start-progress" max="${Math.max(progress.total, 1)}" value="${progress.total === 0 ? 1 : done}">${done} of ${progress.total}</progress>
${
  progress.failures.length
    ? html`<h2 id="failures-heading">Not started yet</h2><p>Tandem retries these by itself; the reason is what the workflow service said.</p>
${scrollTable(
  'start-failures',
  'Cycles not started',
  ['Mentor', 'Mentee', 'Reason'],
  progress.failures.map((f) => html`<tr><td>${f.mentorEmail}</td><td>${f.menteeEmail}</td><td>${f.reason}</td></tr>`),
)}`
    : ''
}
<p><a href="/dashboard/enrollment">Back to enrollment</a></p>`,
  );
}

/** A refusal: what is wrong and what to do. Nothing was written. */
export function refusalPage(
  ctx: EnrollmentPageContext | { departmentName: string; staff?: undefined },
  title: string,
  message: string,
  next: Html = html`<a href="/dashboard/enrollment">Back to enrollment</a>`,
): string {
  return page({
    title,
    departmentName: ctx.departmentName,
    headerExtra: ctx.staff ? staffHeader(ctx.staff) : undefined,
    narrow: true,
    body: html`<h1>${title}</h1><p class="notice error" role="alert" id="refusal">${message}</p><p>${next}</p>`,
  });
}
