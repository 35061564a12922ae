/** The coordinator's people pages: search by name or email, and one person with their pairs and the correction form. */
import type { CycleStatus, Person } from '../../../db/schema.ts';
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import { statusBadge } from './display.ts';
import type { PersonPair } from '../../people/person-pairs.ts';
import type { PersonHit } from '../../stores/people-store.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { csrfField, staffHeader } from '../staff/staff-header.ts';
import { displayNameOfRow } from '../../domain/person.ts';
import { formatAcademicYear } from '../../domain/academic-year.ts';

const STYLES =
  '.people-list{list-style:none;padding:0} .people-list li{overflow-wrap:anywhere} .fields{display:grid;gap:0 1rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,15rem),1fr))}';

export function searchForm(query: string): Html {
  return html`<form method="get" action="/dashboard/people" role="search" aria-label="Find a person" class="card" id="people-search">
<label for="people-q">Name or email</label>
<input type="text" id="people-q" name="q" value="${query}" maxlength="200" autocomplete="off">
<button type="submit" id="people-search-button">Search</button>
</form>`;
}

export function peopleSearchPage(view: { staff: SignedInStaff; departmentName: string; query: string; hits: PersonHit[]; error?: string }): string {
  return page({
    title: 'People',
    departmentName: view.departmentName,
    headerExtra: staffHeader(view.staff),
    styles: STYLES,
    body: html`<h1>People</h1>
${view.error ? html`<p class="notice error" role="alert" id="people-error">${view.error}</p>` : ''}
<p>Find a mentor or mentee by part of their name or email, to see their pairs or correct their record.</p>
${searchForm(view.query)}
${
  view.query
    ? html`<h2 id="results-heading">${view.hits.length === 0 ? 'Nobody matches' : `${view.hits.length}${view.hits.length === 50 ? '+' : ''} found`} for “${view.query}”</h2>
<ul class="people-list" id="people-results" aria-labelledby="results-heading">${view.hits.map(
        (h) =>
          html`<li class="card"><a href="/dashboard/people/${h.id}">${h.preferredName ? `${h.preferredName} (${h.fullName})` : h.fullName}</a><br><span class="hint">${h.email}</span></li>`,
      )}</ul>`
    : ''
}`,
  });
}

export const PERSON_DONE: Record<string, string> = {
  saved: 'Saved. Every later message, invite and page uses the corrected record.',
  'email-saved': 'Saved. Messages now go to the new address; the old address was told of the change.',
  unchanged: 'Nothing was different, so nothing was changed.',
};

export interface PersonPageView {
  staff: SignedInStaff;
  departmentName: string;
  person: Person;
  pairs: PersonPair[];
  done?: string;
  error?: { problems: { field: string; reason: string }[]; typed: Record<string, string> };
}

/** The form's field names and the names problems use for them (people-store.ts). */
const PROBLEM_FIELD: Record<string, string> = {
  full_name: 'name',
  preferred_name: 'preferred-name',
  pronouns: 'pronouns',
  time_zone: 'time-zone',
  email: 'email',
};

const ROLE = { mentor: 'Mentor of', mentee: 'Mentee of' } as const;

function pairCard(p: PersonPair): Html {
  const latest = p.cycles[0];
  return html`<li class="card">
<strong>${ROLE[p.role]} <a href="/dashboard/people/${p.partner.id}">${p.partner.name}</a></strong>
<p style="margin:.3rem 0">${p.pairStatus === 'ended' ? html`<span class="badge ended">Pair ended</span>` : latest ? statusBadge(latest.status as CycleStatus) : html`<span class="badge">Not started</span>`}</p>
${latest ? html`<a href="/dashboard/cycles/${latest.id}">The pair's page (${formatAcademicYear(latest.academicYear)})</a>` : ''}
</li>`;
}

function field(
  id: string,
  label: string,
  name: string,
  value: string,
  view: PersonPageView,
  attrs: { type?: string; max: number; required?: boolean; hint?: string; autocomplete?: string },
): Html {
  const problem = view.error?.problems.find((p) => p.field === PROBLEM_FIELD[name]);
  const describedBy = [attrs.hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div><label for="${id}">${label}${attrs.hint ? html` <span class="hint" id="${id}-hint">${attrs.hint}</span>` : ''}</label>
<input type="${attrs.type ?? 'text'}" id="${id}" name="${name}" value="${value}" maxlength="${attrs.max}"${attrs.required ? html` required` : ''} autocomplete="off"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${problem ? html` aria-invalid="true"` : ''}>
${problem ? html`<p class="notice error" id="${id}-error" style="margin:.3rem 0">${problem.reason}</p>` : ''}</div>`;
}

export function personPage(view: PersonPageView): string {
  const p = view.person;
  const typed = view.error?.typed;
  const value = (k: string, stored: string | null) => typed?.[k] ?? stored ?? '';
  const shown = displayNameOfRow(p);
  return page({
    title: shown,
    departmentName: view.departmentName,
    headerExtra: staffHeader(view.staff),
    styles: STYLES,
    body: html`<p><a href="/dashboard/people">← People</a></p>
<h1>${shown}${p.pronouns ? html` <span class="hint">(${p.pronouns})</span>` : ''}</h1>
${view.done && PERSON_DONE[view.done] ? html`<p class="notice success" role="status" id="person-done">${PERSON_DONE[view.done]}</p>` : ''}
${view.error ? html`<div class="notice error" role="alert" id="person-error"><p style="margin:0">Nothing was changed:</p><ul>${view.error.problems.map((e) => html`<li>${e.field}: ${e.reason}</li>`)}</ul></div>` : ''}
<p style="overflow-wrap:anywhere">${p.email}${p.undeliverable_email === p.email ? html` · <strong style="color:var(--bad)">this address refuses mail</strong>` : ''}</p>
<h2 id="pairs-heading">Pairs</h2>
${view.pairs.length ? html`<ul class="people-list" aria-labelledby="pairs-heading" id="person-pairs">${view.pairs.map(pairCard)}</ul>` : html`<p>Not in any pair.</p>`}
<h2 id="correct-heading">Correct the record</h2>
<form method="post" action="/dashboard/people/${p.id}" class="card" id="person-form" aria-labelledby="correct-heading">
${csrfField(view.staff)}
<div class="fields">
${field('person-name', 'Full name', 'full_name', value('full_name', p.full_name), view, { max: 200, required: true })}
${field('person-preferred', 'Preferred name', 'preferred_name', value('preferred_name', p.preferred_name), view, { max: 200, hint: '(optional)' })}
${field('person-pronouns', 'Pronouns', 'pronouns', value('pronouns', p.pronouns), view, { max: 60, hint: '(optional, e.g. she/her)' })}
${field('person-zone', 'Time zone', 'time_zone', value('time_zone', p.time_zone), view, { max: 64, required: true, hint: '(e.g. America/New_York)' })}
${field('person-email', 'Email', 'email', value('email', p.email), view, { type: 'email', max: 254, required: true, hint: '(the old address is told of a change)' })}
</div>
<button type="submit" id="person-save">Save corrections</button>
</form>`,
  });
}
