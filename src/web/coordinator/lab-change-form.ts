/**
 * On a live pair's page: "the mentee changes lab" — end this pair (reason: lab change) and
 * enroll the mentee with the new mentor, in one form. The new mentor is checked before the
 * old pair is ended, so a typo ends nothing.
 */
import { html, type Html } from '../html.ts';
import type { CycleDetail } from '../../stores/dashboard-store.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { csrfField } from '../staff/staff-header.ts';

export interface LabChangeTyped {
  mentor_name?: string;
  mentor_email?: string;
  mentor_preferred_name?: string;
  mentor_pronouns?: string;
}

export interface LabChangeState {
  typed?: LabChangeTyped;
  problems?: { field: string; reason: string }[];
}

export function labChangeForm(staff: SignedInStaff, cycle: CycleDetail, state: LabChangeState = {}): Html {
  if (cycle.pairStatus !== 'active' || cycle.status === 'completed' || cycle.status === 'ended') return html``;
  const t = state.typed ?? {};
  const problem = (field: string) => state.problems?.find((p) => p.field === field);
  const input = (id: string, name: keyof LabChangeTyped, label: string, field: string, attrs: { type?: string; required?: boolean; max: number }) => {
    const p = problem(field);
    return html`<div><label for="${id}">${label}</label>
<input type="${attrs.type ?? 'text'}" id="${id}" name="${name}" value="${t[name] ?? ''}" maxlength="${attrs.max}"${attrs.required ? html` required` : ''} autocomplete="off"${p ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${p ? html`<p class="notice error" id="${id}-error" style="margin:.3rem 0">${p.reason}</p>` : ''}</div>`;
  };
  return html`<form method="post" action="/dashboard/cycles/${cycle.cycleId}/lab-change" id="action-lab-change" class="card" aria-labelledby="lab-change-heading">
${csrfField(staff)}
<h3 style="margin:0" id="lab-change-heading">The mentee changes lab</h3>
<p class="hint">Ends this pair (reason: lab change) and enrolls ${cycle.menteeName} with the new mentor, whose year starts today.</p>
${state.problems?.length ? html`<p class="notice error" role="alert" id="lab-change-error">Nothing was changed: ${state.problems.map((p, i) => html`${i ? '; ' : ''}${p.field}: ${p.reason}`)}.</p>` : ''}
<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,14rem),1fr));gap:0 1rem">
${input('lab-mentor-name', 'mentor_name', "New mentor's full name", 'mentor-name', { required: true, max: 200 })}
${input('lab-mentor-email', 'mentor_email', "New mentor's email", 'mentor-email', { type: 'email', required: true, max: 254 })}
${input('lab-mentor-preferred', 'mentor_preferred_name', 'Preferred name (optional)', 'mentor-preferred-name', { max: 200 })}
${input('lab-mentor-pronouns', 'mentor_pronouns', 'Pronouns (optional)', 'mentor-pronouns', { max: 60 })}
</div>
<label style="font-weight:400"><input type="checkbox" name="confirm" value="yes" required id="lab-change-confirm"> I understand the current pair ends for good</label>
<button type="submit" class="danger" id="lab-change-button">End this pair and enroll the new one</button>
</form>`;
}
