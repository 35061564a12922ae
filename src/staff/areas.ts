/**
 * The staff areas and the role each needs: the header's links, the "not for your role"
 * page, and where staff land after sign-in all read this one list. Coordinator first, so
 * staff with several roles land on the dashboard.
 */
import type { StaffRole } from '../../db/schema.ts';

export const STAFF_AREAS: readonly { role: StaffRole; prefix: string; href: string; label: string }[] = [
  { role: 'coordinator', prefix: '/dashboard', href: '/dashboard', label: 'Dashboard' },
  { role: 'coordinator', prefix: '/dashboard/enrollment', href: '/dashboard/enrollment', label: 'Enrollment' },
  { role: 'coordinator', prefix: '/dashboard/people', href: '/dashboard/people', label: 'People' },
  { role: 'coordinator', prefix: '/dashboard/staff', href: '/dashboard/staff', label: 'Staff' },
  { role: 'evaluation', prefix: '/evaluation', href: '/evaluation', label: 'Evaluation packets' },
  { role: 'resource', prefix: '/resources', href: '/resources/help-requests', label: 'Help requests' },
];

export function areasFor(roles: readonly StaffRole[]): { href: string; label: string }[] {
  return STAFF_AREAS.filter((a) => roles.includes(a.role));
}
