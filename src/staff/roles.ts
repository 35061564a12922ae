/** The staff roles, and who a signed-in staff member is: shared by the web's hooks, the CLI and the staff directory. */
import type { StaffRole } from '../../db/schema.ts';

export type { StaffRole } from '../../db/schema.ts';
export const STAFF_ROLES: readonly StaffRole[] = ['coordinator', 'evaluation', 'resource'];

/** Signed-in staff member, set on the request by the web's `requireStaffRole`. */
export interface SignedInStaff {
  id: string;
  departmentId: string;
  email: string;
  name: string;
  roles: StaffRole[];
  /** Put in every form as `_csrf`. */
  csrfToken: string;
}
