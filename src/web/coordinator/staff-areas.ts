/** The staff areas each role opens, for the header's links and the "not for your role" page. */
import type { StaffRole } from '../../../db/schema.ts';

export const STAFF_AREAS: { role: StaffRole; href: string; label: string }[] = [
  { role: 'coordinator', href: '/dashboard', label: 'Dashboard' },
  { role: 'evaluation', href: '/evaluation', label: 'Evaluation packets' },
];

export function areasFor(roles: readonly StaffRole[]): { href: string; label: string }[] {
  return STAFF_AREAS.filter((a) => roles.includes(a.role));
}
