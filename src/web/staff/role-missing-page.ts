/**
 * The page a signed-in staff member sees on a page their roles do not open (an evaluation
 * officer following a dashboard link): what is missing, where they can go, who grants roles.
 */
import type { StaffRole } from '../../../db/schema.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { areasFor } from '../../staff/areas.ts';
import { staffHeader } from './staff-header.ts';

const ROLE_NAMES: Record<StaffRole, string> = { coordinator: 'coordinator', evaluation: 'evaluation', resource: 'resource' };

export function roleMissingPage(options: { departmentName: string; staff: SignedInStaff; role: StaffRole }): string {
  const areas = areasFor(options.staff.roles);
  return page({
    title: 'Not open to your account',
    departmentName: options.departmentName,
    narrow: true,
    headerExtra: staffHeader(options.staff),
    body: html`<h1>This page is not open to your account</h1>
<p class="notice error" role="alert" id="role-missing">It needs the ${ROLE_NAMES[options.role]} role, which your account does not have. The department's mentoring coordinator can add it.</p>
${areas.length ? html`<p>Your account opens: ${areas.map((a, i) => html`${i ? ', ' : ''}<a href="${a.href}">${a.label}</a>`)}.</p>` : ''}`,
  });
}
