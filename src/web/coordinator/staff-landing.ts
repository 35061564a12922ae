/**
 * Where a staff member lands after sign-in: the page they asked for when their roles reach
 * it, otherwise their own area. Staff with only the evaluation or only the resource role
 * must never be sent to the dashboard just to be refused there.
 */
import type { StaffRole } from '../../../db/schema.ts';
import { safeNext } from './login-pages.ts';

/** Each staff area's path prefix and the role it needs. */
const AREAS: readonly { prefix: string; role: StaffRole }[] = [
  { prefix: '/dashboard', role: 'coordinator' },
  { prefix: '/evaluation', role: 'evaluation' },
  { prefix: '/resources', role: 'resource' },
];

/** The role's home page, coordinator first for staff with several roles. */
export function homeFor(roles: readonly StaffRole[]): string {
  if (roles.includes('coordinator')) return '/dashboard';
  if (roles.includes('evaluation')) return '/evaluation';
  if (roles.includes('resource')) return '/resources/help-requests';
  return '/';
}

/** The asked-for path if it is on this site and within reach of `roles`; their home otherwise. */
export function landingFor(roles: readonly StaffRole[], next: string | undefined): string {
  const home = homeFor(roles);
  const asked = safeNext(next, home);
  const area = AREAS.find((a) => asked === a.prefix || asked.startsWith(`${a.prefix}/`) || asked.startsWith(`${a.prefix}?`));
  return area && !roles.includes(area.role) ? home : asked;
}
