/**
 * GET /dashboard/staff as HTML: everyone who can sign in, with roles and last sign-in, the
 * forms that change them, and the signed-in coordinator's own choice of notice delivery.
 * One card per person (not a wide table), so it reads on a phone.
 */
import type { StaffRole } from '../../../db/schema.ts';
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import { dateTimeText } from './display.ts';
import { STAFF_ROLES, type SignedInStaff } from '../../staff/roles.ts';
import type { StaffListing } from '../../staff/directory.ts';
import { csrfField, staffHeader } from '../staff/staff-header.ts';

export const ROLE_DESCRIPTIONS: Record<StaffRole, string> = {
  coordinator: 'Coordinator — the dashboard, staff, people, department notices',
  evaluation: 'Evaluation committee — evaluation packets',
  resource: 'Mentoring resource — help requests',
};

export const STAFF_DONE: Record<string, string> = {
  added: 'Added. They have been emailed how to sign in.',
  roles: 'Roles changed.',
  removed: 'Removed. Their sessions are ended.',
  notices: 'Your notice delivery is saved.',
};

export interface StaffPageView {
  staff: SignedInStaff;
  departmentName: string;
  zone: string;
  members: StaffListing[];
  done?: string;
  /** A refused change: which form, the message, and what was typed (shown back). */
  error?: { form: string; message: string; typed?: { name?: string; email?: string; roles?: string[] } };
}

function roleBoxes(idPrefix: string, checked: readonly string[]): Html {
  return html`${STAFF_ROLES.map(
    (r) =>
      html`<label class="check"><input type="checkbox" name="roles" value="${r}" id="${idPrefix}-${r}"${checked.includes(r) ? html` checked` : ''}> ${ROLE_DESCRIPTIONS[r]}</label>`,
  )}`;
}

function member(view: StaffPageView, m: StaffListing): Html {
  const err = view.error?.form === m.id ? view.error : undefined;
  const key = m.id.slice(0, 8);
  return html`<li class="card" id="staff-${key}">
<h3 style="margin:0">${m.name}</h3>
<p style="margin:.2rem 0;overflow-wrap:anywhere">${m.email}</p>
<p class="hint" style="margin:.2rem 0">Last signed in: ${m.lastSignedInAt ? dateTimeText(m.lastSignedInAt, view.zone) : 'never'}${m.roles.includes('coordinator') ? html` · Notices: ${m.noticeDelivery === 'digest' ? 'daily digest' : 'as they happen'}` : ''}</p>
${err ? html`<p class="notice error" role="alert" id="staff-error-${key}">${err.message}</p>` : ''}
<form method="post" action="/dashboard/staff/${m.id}/roles" class="roles-form">
${csrfField(view.staff)}
<fieldset><legend>Roles of ${m.name}</legend>${roleBoxes(`roles-${key}`, err?.typed?.roles ?? m.roles)}</fieldset>
<button type="submit" class="secondary" id="change-roles-${key}">Save roles of ${m.name}</button>
</form>
<form method="post" action="/dashboard/staff/${m.id}/remove">
${csrfField(view.staff)}
<button type="submit" class="danger" id="remove-${key}">Remove ${m.name}</button>
</form>
</li>`;
}

export function staffPage(view: StaffPageView): string {
  const me = view.members.find((m) => m.id === view.staff.id);
  const addError = view.error?.form === 'add' ? view.error : undefined;
  const typed = addError?.typed ?? {};
  return page({
    title: 'Staff',
    departmentName: view.departmentName,
    headerExtra: staffHeader(view.staff),
    styles:
      '.staff-list{list-style:none;padding:0;display:grid;gap:0 1rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,22rem),1fr))} label.check{font-weight:400;margin-top:.4rem} label.check input{margin-right:.4rem}',
    body: html`<h1>Staff</h1>
${view.done && STAFF_DONE[view.done] ? html`<p class="notice success" role="status" id="staff-done">${STAFF_DONE[view.done]}</p>` : ''}
${view.error?.form === 'general' ? html`<p class="notice error" role="alert" id="staff-error">${view.error.message}</p>` : ''}
<p>Everyone who can sign in to Tandem, and what their account opens. Every change here is written to the audit log. The department always keeps at least one coordinator.</p>
<section aria-labelledby="add-heading" class="card">
<h2 id="add-heading" style="margin-top:0">Add a staff member</h2>
${addError ? html`<p class="notice error" role="alert" id="add-error">${addError.message}</p>` : ''}
<form method="post" action="/dashboard/staff" id="add-staff-form">
${csrfField(view.staff)}
<label for="add-name">Name</label>
<input type="text" id="add-name" name="name" required maxlength="200" autocomplete="off" value="${typed.name ?? ''}">
<label for="add-email">Work email</label>
<input type="email" id="add-email" name="email" required maxlength="254" autocomplete="off" value="${typed.email ?? ''}">
<fieldset><legend>Roles</legend>${roleBoxes('add-role', typed.roles ?? [])}</fieldset>
<button type="submit" id="add-staff">Add and email a sign-in link</button>
</form>
</section>
${
  me?.roles.includes('coordinator')
    ? html`<section aria-labelledby="notices-heading" class="card">
<h2 id="notices-heading" style="margin-top:0">Your department notices</h2>
<p>Stalled pairs, enrollment opening and evaluation input ready: one message each as they happen, or one digest a day.</p>
<form method="post" action="/dashboard/staff/notices" id="notices-form">
${csrfField(view.staff)}
<fieldset><legend>Send me department notices</legend>
<label class="check"><input type="radio" name="delivery" value="immediate" id="notices-immediate"${me.noticeDelivery === 'immediate' ? html` checked` : ''}> As they happen</label>
<label class="check"><input type="radio" name="delivery" value="digest" id="notices-digest"${me.noticeDelivery === 'digest' ? html` checked` : ''}> In a daily digest</label>
</fieldset>
<button type="submit" class="secondary" id="save-notices">Save</button>
</form></section>`
    : ''
}
<h2>Staff accounts (${view.members.length})</h2>
<ul class="staff-list" id="staff-list">${view.members.map((m) => member(view, m))}</ul>`,
  });
}
