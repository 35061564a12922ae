/**
 * "My mentoring": one person's own page. Everything on it is about the reader or is what
 * their counterpart may already see (names, step states, dates, time away and contacts);
 * nothing anyone typed for a step — expectations, goals, feedback, help requests — is shown.
 * Dates are in the reader's zone. Each form posts to its own path under the same personal
 * link and is refused from other sites (same-origin.ts).
 */
import type { ReminderDelivery } from '../../../db/schema.ts';
import type { CycleView, StepView } from '../../domain/cycle-view.ts';
import type { Action } from '../../security/action-tokens.ts';
import { COMMON_PRONOUNS, NAME_MAX, PRONOUNS_MAX, TIME_AWAY_KINDS, CONTINGENCY_MAX } from '../../people/person-input.ts';
import type { PersonPair } from '../../people/person-pairs.ts';
import { stepInWords } from '../../mail/templates/common.ts';
import { html, type Html } from '../html.ts';
import type { FormState } from './action-module.ts';
import { errorSummary, fieldId, notice, radioGroup, textField } from './form-fields.ts';
import { dayIn, momentIn } from './pages.ts';

export interface TimeAwayRow {
  id: string;
  kind: string;
  startsAt: Date;
  endsAt: Date;
  pauseSteps: boolean;
  status: string;
  contingency: { name: string; email: string; covers: string } | null;
}

export interface MyPairView {
  pair: PersonPair;
  /** This year's cycle and its live view (null when Temporal could not be asked: the projection stands in). */
  current: { id: string; academicYear: number; status: string; view: CycleView | null; currentStep: string | null; dueAt: Date | null } | null;
  past: { academicYear: number; status: string }[];
  /** Links to do what the reader owes now, freshly signed. */
  owed: { label: string; url: string; step: string }[];
  partnerAway: TimeAwayRow | null;
}

export interface MyMentoringModel {
  person: { name: string; fullName: string; pronouns: string | null; timeZone: string; email: string };
  pairs: MyPairView[];
  timeAway: TimeAwayRow[];
  reminderDelivery: ReminderDelivery;
  activePairs: number;
  calendar: { https: string; webcal: string };
  zones: readonly string[];
  now: Date;
  forms: { profile?: FormState; away?: FormState; reminders?: FormState };
  notice?: FormState['notice'];
  maxAwayDays: number;
  /** The page's own address, relative (the token): every form posts there, naming itself in `form`. */
  formBase: string;
}

const STATE_WORDS: Record<StepView['state'], string> = {
  planned: 'not open yet',
  open: 'open',
  completed: 'done',
  resolved: 'done (settled by the coordinator)',
  closed: 'closed',
  cancelled: 'cancelled',
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function named(name: string, pronouns: string | null): string {
  return pronouns ? `${name} (${pronouns})` : name;
}

/** The action a reader takes on an open step they owe (the same buttons as the reminders). */
export function actionForStep(step: StepView, role: 'mentor' | 'mentee'): { label: string; act: Action } | null {
  if (step.state !== 'open' || !(step.owedBy === 'both' || step.owedBy === role)) return null;
  if (step.kind === 'expectations') return role === 'mentor' ? { label: 'Share your expectations', act: 'share-expectations' } : { label: 'Read and respond', act: 'respond-expectations' };
  if (step.kind === 'check-in') return step.phase === 'awaiting-outcome' ? { label: 'Tell us whether you met', act: 'check-in-outcome' } : { label: 'Pick a time to meet', act: 'schedule-check-in' };
  if (step.kind === 'training-goals') return role === 'mentee' ? { label: 'Update your goals', act: 'update-goals' } : { label: 'Review the goals', act: 'review-goals' };
  if (step.kind === 'feedback') return { label: 'Give your feedback', act: 'give-feedback' };
  return null;
}

function awayLine(a: TimeAwayRow, zone: string): Html {
  const last = dayIn(a.endsAt.getTime() - 1, zone);
  return html`${capital(TIME_AWAY_KINDS.find((k) => k.value === a.kind)?.label.toLowerCase() ?? a.kind)} from ${dayIn(a.startsAt, zone)} to ${last}${a.pauseSteps ? ' (steps paused)' : ' (steps not paused)'}`;
}

function pairCard(p: MyPairView, model: MyMentoringModel): Html {
  const zone = model.person.timeZone;
  const partner = p.pair.partner;
  const heading = `${p.pair.role === 'mentor' ? 'Your mentee' : 'Your mentor'} ${named(partner.name, partner.pronouns)}`;
  const c = p.current;
  const steps = c?.view?.steps ?? [];
  const nextMeeting = steps
    .filter((s) => s.kind === 'check-in' && s.meeting && Date.parse(s.meeting.startsAt) > model.now.getTime() && s.state === 'open')
    .sort((a, b) => Date.parse(a.meeting!.startsAt) - Date.parse(b.meeting!.startsAt))[0];
  const paused = c?.view?.paused;
  return html`<section class="card" aria-labelledby="pair-${p.pair.pairId}">
<h2 id="pair-${p.pair.pairId}">${heading}</h2>
${p.pair.pairStatus === 'ended' ? html`<p>This pairing has ended.</p>` : ''}
${p.partnerAway ? html`<p class="notice"><strong>${partner.name} is away until ${dayIn(p.partnerAway.endsAt.getTime() - 1, zone)}.</strong>${p.partnerAway.contingency ? html` Meanwhile contact ${p.partnerAway.contingency.name} (<a href="mailto:${p.partnerAway.contingency.email}">${p.partnerAway.contingency.email}</a>) for: ${p.partnerAway.contingency.covers}.` : ''}</p>` : ''}
${
  c
    ? html`<p>Academic year ${c.academicYear}–${String((c.academicYear + 1) % 100).padStart(2, '0')}: <span class="badge">${paused ? `paused${paused.until ? ` until ${dayIn(paused.until, zone)}` : ''}` : c.status}</span></p>
${
  p.owed.length > 0
    ? html`<h3>What you can do now</h3><ul class="owed">${p.owed.map((o) => html`<li>${capital(stepInWords(o.step))}: <a class="button" href="${o.url}">${o.label}</a></li>`)}</ul>`
    : html`<p>Nothing waits on you in this pair just now.</p>`
}
<h3>Next check-in</h3>
<p>${nextMeeting ? html`${capital(stepInWords(nextMeeting.id))}: <time datetime="${nextMeeting.meeting!.startsAt}">${momentIn(nextMeeting.meeting!.startsAt, zone)}</time>` : 'No check-in is scheduled yet.'}</p>
${
  steps.length > 0
    ? html`<div class="table-wrap"><table>
<caption class="visually-hidden">The year's steps with ${partner.name}</caption>
<thead><tr><th scope="col">Step</th><th scope="col">State</th><th scope="col">Due</th></tr></thead>
<tbody>${steps.map((s) => html`<tr><th scope="row">${capital(stepInWords(s.id))}</th><td>${STATE_WORDS[s.state]}</td><td><time datetime="${s.dueAt}">${dayIn(s.dueAt, zone)}</time></td></tr>`)}</tbody>
</table></div>`
    : html`<p>${c.currentStep ? html`Current step: ${stepInWords(c.currentStep)}${c.dueAt ? html`, due ${dayIn(c.dueAt, zone)}` : ''}.` : ''} The full list of steps could not be loaded just now; try again in a few minutes.</p>`
}`
    : html`<p>No mentoring year is running for this pair.</p>`
}
${p.past.length > 0 ? html`<h3>Past years</h3><ul>${p.past.map((y) => html`<li>${y.academicYear}–${String((y.academicYear + 1) % 100).padStart(2, '0')}: ${y.status}</li>`)}</ul>` : ''}
</section>`;
}

function profileForm(model: MyMentoringModel): Html {
  const form = model.forms.profile ?? profileDefaults(model);
  return html`<section class="card" aria-labelledby="profile-title">
<h2 id="profile-title">Your name, pronouns and time zone</h2>
<p class="hint">Your ${model.pairs.some((p) => p.pair.role === 'mentor') ? 'mentees are' : 'mentor is'} told once how to address you; every later message, invite and page uses what you set here. Your email address identifies you: to change it, write to the coordinator.</p>
<form method="post" action="${model.formBase}" novalidate><input type="hidden" name="form" value="profile">
${textField(form, { name: 'preferred_name', label: 'The name you would like to be called by', maxLength: NAME_MAX, autocomplete: 'nickname' })}
${radioGroup(form, {
  name: 'pronouns_choice',
  legend: 'Your pronouns',
  options: [...COMMON_PRONOUNS.map((p) => ({ value: p, label: p })), { value: 'none', label: 'Leave them out (use my name)' }, { value: 'other', label: 'Something else' }],
})}
${textField(form, { name: 'pronouns_other', label: 'Your pronouns, if something else', hint: 'For example xe/xem. Plain words only.', required: false, maxLength: PRONOUNS_MAX })}
${zoneSelect(form, model.zones)}
<button type="submit">Save</button>
</form>
</section>`;
}

function zoneSelect(form: FormState, zones: readonly string[]): Html {
  const error = form.errors.find((e) => e.field === 'time_zone');
  const chosen = form.values.time_zone ?? '';
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="${fieldId('time_zone')}">Your time zone</label>
<p class="hint" id="${fieldId('time_zone')}-hint">Dates and meeting times are shown to you in this zone. Meetings keep their times; only how they are shown changes.</p>
${error ? html`<p class="field-error" id="${fieldId('time_zone')}-error"><span class="visually-hidden">Error:</span> ${error.message}</p>` : ''}
<select id="${fieldId('time_zone')}" name="time_zone" aria-describedby="${fieldId('time_zone')}-hint${error ? ` ${fieldId('time_zone')}-error` : ''}"${error ? html` aria-invalid="true"` : ''}>
${zones.map((z) => html`<option value="${z}"${z === chosen ? html` selected` : ''}>${z.replace(/_/g, ' ')}</option>`)}
</select>
</div>`;
}

export function profileDefaults(model: Pick<MyMentoringModel, 'person'>): FormState {
  const pr = model.person.pronouns;
  const common = pr !== null && (COMMON_PRONOUNS as readonly string[]).includes(pr);
  return { values: { preferred_name: model.person.name, pronouns_choice: pr === null ? 'none' : common ? pr : 'other', pronouns_other: pr !== null && !common ? pr : '', time_zone: model.person.timeZone }, errors: [] };
}

function timeAwaySection(model: MyMentoringModel): Html {
  const form = model.forms.away ?? { values: { pause: 'pause' }, errors: [] };
  const zone = model.person.timeZone;
  const isMentor = model.pairs.some((p) => p.pair.role === 'mentor' && p.pair.pairStatus === 'active');
  const current = model.timeAway.filter((a) => a.status !== 'ended' && a.endsAt.getTime() > model.now.getTime());
  return html`<section class="card" aria-labelledby="away-title">
<h2 id="away-title">Time away</h2>
${
  current.length > 0
    ? html`<ul class="away">${current.map(
        (a) => html`<li>${awayLine(a, zone)}${a.contingency ? html`; contact: ${a.contingency.name} (${a.contingency.email}) for ${a.contingency.covers}` : ''}.
<form method="post" action="${model.formBase}" class="inline"><input type="hidden" name="form" value="end-away"><input type="hidden" name="away_id" value="${a.id}"><button type="submit" class="secondary">${a.startsAt.getTime() <= model.now.getTime() ? "I'm back: end it now" : 'Cancel this time away'}</button></form></li>`,
      )}</ul>`
    : html`<p>You have no time away announced.</p>`
}
<h3>Announce time away</h3>
<p class="hint">Your ${isMentor ? 'mentees' : 'mentor'} and the coordinator are told. Up to ${model.maxAwayDays} days at a time; dates are days in your time zone (${zone}).</p>
<form method="post" action="${model.formBase}" novalidate><input type="hidden" name="form" value="away">
${radioGroup(form, { name: 'kind', legend: 'What kind of time away', options: TIME_AWAY_KINDS.map((k) => ({ value: k.value, label: k.label })) })}
${dateField(form, 'first_day', 'First day away')}
${dateField(form, 'last_day', 'Last day away')}
${radioGroup(form, {
  name: 'pause',
  legend: 'Your mentoring steps',
  options: [
    { value: 'pause', label: 'Pause our steps', hint: 'Deadlines move on by the time you are away; no reminders meanwhile.' },
    { value: 'inform', label: 'Only let them know', hint: 'Deadlines stay as they are.' },
  ],
})}
<fieldset><legend>Contingency contact${isMentor ? '' : html` <span class="hint">(optional)</span>`}</legend>
<p class="hint">${isMentor ? 'As a mentor, name someone your mentees can turn to while you are away.' : 'Someone your mentor can reach while you are away, if you like.'}</p>
${textField(form, { name: 'contingency_name', label: 'Their name', required: isMentor, maxLength: NAME_MAX })}
${textField(form, { name: 'contingency_email', label: 'Their email address', type: 'email', required: isMentor, maxLength: 254 })}
${textField(form, { name: 'contingency_covers', label: 'What they cover', hint: 'For example: lab questions, urgent signatures.', required: isMentor, maxLength: CONTINGENCY_MAX })}
</fieldset>
<button type="submit">Announce</button>
</form>
</section>`;
}

function dateField(form: FormState, name: string, label: string): Html {
  const error = form.errors.find((e) => e.field === name);
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="${fieldId(name)}">${label}</label>
${error ? html`<p class="field-error" id="${fieldId(name)}-error"><span class="visually-hidden">Error:</span> ${error.message}</p>` : ''}
<input type="date" id="${fieldId(name)}" name="${name}" value="${form.values[name] ?? ''}" required${error ? html` aria-invalid="true" aria-describedby="${fieldId(name)}-error"` : ''}>
</div>`;
}

function remindersSection(model: MyMentoringModel): Html {
  const form = model.forms.reminders ?? { values: { reminder_delivery: model.reminderDelivery }, errors: [] };
  return html`<section class="card" aria-labelledby="reminders-title">
<h2 id="reminders-title">How reminders reach you</h2>
${
  model.activePairs > 1
    ? html`<p class="hint">With ${model.activePairs} pairs you may gather reminders (before a step is due, and when it is overdue) into one message a day or a week. Invitations, cancellations, confirmations and messages from the coordinator always come at once, and due dates do not move.</p>
<form method="post" action="${model.formBase}" novalidate><input type="hidden" name="form" value="reminders">
${radioGroup(form, {
  name: 'reminder_delivery',
  legend: 'Reminders',
  options: [
    { value: 'immediate', label: 'One message per reminder' },
    { value: 'daily', label: 'A daily digest' },
    { value: 'weekly', label: 'A weekly digest' },
  ],
})}
<button type="submit">Save</button>
</form>`
    : html`<p>Each reminder comes as its own message. A daily or weekly digest is offered to people with more than one pair.</p>`
}
</section>`;
}

function calendarSection(model: MyMentoringModel): Html {
  return html`<section class="card" aria-labelledby="calendar-title">
<h2 id="calendar-title">Your calendar of check-ins</h2>
<p>Subscribe once and every check-in of your pairs appears in your calendar, kept up to date. The address is private: keep it to yourself.</p>
<p><a class="button" href="${model.calendar.webcal}">Subscribe (webcal)</a></p>
<p><label for="calendar-https">Calendar address (https)</label><input type="text" id="calendar-https" readonly value="${model.calendar.https}"></p>
<ul>
<li><strong>Google Calendar</strong>: Other calendars → “+” → From URL; paste the https address.</li>
<li><strong>Outlook</strong>: Add calendar → Subscribe from web; paste the https address.</li>
<li><strong>Apple Calendar</strong>: open the webcal link above, or File → New Calendar Subscription and paste the address.</li>
</ul>
</section>`;
}

export function myMentoringBody(model: MyMentoringModel): Html {
  const allErrors: FormState = { values: {}, errors: [...(model.forms.profile?.errors ?? []), ...(model.forms.away?.errors ?? []), ...(model.forms.reminders?.errors ?? [])] };
  const current = model.pairs.filter((p) => p.pair.pairStatus === 'active');
  const ended = model.pairs.filter((p) => p.pair.pairStatus !== 'active');
  return html`<h1>My mentoring</h1>
<p>${named(model.person.name, model.person.pronouns)} · ${model.person.email}</p>
${errorSummary(allErrors)}${notice({ values: {}, errors: [], ...(model.notice ? { notice: model.notice } : {}) })}
${current.length > 0 ? current.map((p) => pairCard(p, model)) : html`<p>You have no active mentoring pair.</p>`}
${ended.map((p) => pairCard(p, model))}
${profileForm(model)}
${timeAwaySection(model)}
${remindersSection(model)}
${calendarSection(model)}`;
}

export const MY_MENTORING_STYLES = `
.table-wrap { overflow-x:auto; }
ul.owed { list-style:none; padding:0; } ul.owed li { margin:.4rem 0; } ul.owed .button { margin-top:.2rem; }
form.inline { display:inline; } form.inline button { margin-top:.3rem; }
input[readonly] { width:100%; font:inherit; padding:.4rem; }
section.card h3 { font-size:1.05rem; margin-top:1.2rem; }
`;
