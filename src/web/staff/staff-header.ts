/** The header of every staff page: the areas the person's roles open, who is signed in, and a sign-out form carrying the CSRF token. */
import { html, type Html } from '../html.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { areasFor } from '../../staff/areas.ts';

export function staffHeader(staff: SignedInStaff): Html {
  return html`<nav aria-label="Account" style="display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center">
${areasFor(staff.roles).map((a) => html`<a href="${a.href}">${a.label}</a>`)}
<span>Signed in as <strong>${staff.name}</strong></span>
<form method="post" action="/logout" id="logout-form" style="margin:0">
<input type="hidden" name="_csrf" value="${staff.csrfToken}">
<button type="submit" class="secondary" id="logout" style="margin:0">Sign out</button>
</form></nav>`;
}

/** A hidden CSRF field for a staff form. */
export function csrfField(staff: SignedInStaff): Html {
  return html`<input type="hidden" name="_csrf" value="${staff.csrfToken}">`;
}
