/**
 * Where a staff member lands after sign-in: the page they asked for when their roles reach
 * it, otherwise their own area. Staff with only the evaluation or only the resource role
 * must never be sent to the dashboard just to be refused there.
 */
import type { StaffRole } from '../../../db/schema.ts';
import { safeNext } from './login-pages.ts';
import { STAFF_AREAS } from '../../staff/areas.ts';

/** The first area the roles open (coordinator first); the home page when none. */
export function homeFor(roles: readonly StaffRole[]): string {
  return STAFF_AREAS.find((a) => roles.includes(a.role))?.href ?? '/';
}

/** The asked-for path if it is on this site and within reach of `roles`; their home otherwise. */
export function landingFor(roles: readonly StaffRole[], next: string | undefined): string {
  const home = homeFor(roles);
  const asked = safeNext(next, home);
  const area = STAFF_AREAS.find((a) => asked === a.prefix || asked.startsWith(`${a.prefix}/`) || asked.startsWith(`${a.prefix}?`));
  return area && !roles.includes(area.role) ? home : asked;
}
