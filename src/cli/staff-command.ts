/**
 * `tandem staff add|list|remove`: the department's staff accounts (who can sign in to the
 * dashboard, the evaluation pages, the resources' pages). The bootstrap coordinator is made
 * at start from TANDEM_COORDINATOR_EMAIL; everyone else is added here.
 */
import { parseArgs } from 'node:util';
import { createDb, ensureDatabaseExists } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { TandemConfig } from '../config/env.ts';
import { loadPolicyFile } from '../config/policy-file.ts';
import { STAFF_ROLES } from '../staff/roles.ts';
import { findStaffByEmail } from '../staff/accounts.ts';
import { addStaff, changeStaffRoles, CLI_ACTOR, removeStaff, StaffChangeError } from '../staff/directory.ts';
import { ensureDepartment, listStaffMembers } from '../stores/staff-store.ts';

const HELP = `Usage: tandem staff <add|list|remove> [options]

  add --email EMAIL --name NAME --role ROLE [--role ROLE…]
        create a staff account, or add roles to an existing one (roles: ${STAFF_ROLES.join(', ')})
  list  every staff account of the policy's department, with roles
  remove --email EMAIL
        delete the account and end its sessions (never the last coordinator)

The staff page (/dashboard/staff) does the same, and both write the audit log.`;

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

export async function staffCommand(argv: string[], loadConfig: () => TandemConfig): Promise<number> {
  const [sub, ...rest] = argv;
  let values: { email?: string; name?: string; role?: string[]; help?: boolean };
  try {
    values = parseArgs({
      args: rest,
      options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', multiple: true }, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`tandem staff: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help || sub === undefined || !['add', 'list', 'remove'].includes(sub)) {
    if (!values.help && sub !== undefined) console.error(`tandem staff: unknown subcommand "${sub}"\n`);
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  // Check the arguments before opening anything, so a bad call changes nothing.
  const problems: string[] = [];
  const email = values.email?.trim().toLowerCase();
  if (sub !== 'list' && (!email || !EMAIL.test(email)))
    problems.push(`--email must be an email address like name@example.edu${email ? ` (got "${values.email}")` : ''}`);
  if (sub === 'add') {
    if (!values.name?.trim()) problems.push('--name is required');
    else if (values.name.length > 200 || /[\r\n<>]/.test(values.name)) problems.push('--name must be a plain name of at most 200 characters');
    const roles = values.role ?? [];
    if (roles.length === 0) problems.push(`--role is required (one or more of ${STAFF_ROLES.join(', ')})`);
    for (const r of roles) if (!(STAFF_ROLES as readonly string[]).includes(r)) problems.push(`--role "${r}" is not one of ${STAFF_ROLES.join(', ')}`);
  }
  if (problems.length) {
    for (const p of problems) console.error(`tandem staff ${sub}: ${p}`);
    return 2;
  }

  const config = loadConfig();
  const { department } = loadPolicyFile(config.policyFile);
  await ensureDatabaseExists(config.databaseUrl);
  const db = createDb(config.databaseUrl, 1);
  try {
    await migrateToLatest(db);
    try {
      if (sub === 'add') {
        await ensureDepartment(db, department);
        const existing = await findStaffByEmail(db, email!);
        // On a terminal, `add` for an existing account adds the roles (as it always has).
        const staff = existing
          ? await changeStaffRoles(db, CLI_ACTOR, department.id, existing.id, [...existing.roles, ...(values.role ?? [])])
          : await addStaff(db, CLI_ACTOR, { departmentId: department.id, email: email!, name: values.name!, roles: values.role ?? [] });
        console.log(`${staff.name} <${staff.email}>: ${staff.roles.join(', ')}. They sign in at ${config.publicUrl}/login`);
        return 0;
      }
      if (sub === 'remove') {
        const existing = await findStaffByEmail(db, email!);
        if (!existing || existing.department_id !== department.id) {
          console.error(`tandem staff remove: no staff account for ${email}`);
          return 1;
        }
        const removed = await removeStaff(db, CLI_ACTOR, department.id, existing.id);
        console.log(`Removed ${removed.email}; their sessions are ended.`);
        return 0;
      }
    } catch (error) {
      if (!(error instanceof StaffChangeError)) throw error;
      console.error(`tandem staff ${sub}: ${error.message}`);
      return 1;
    }
    const rows = await listStaffMembers(db, department.id, 'email');
    if (rows.length === 0) console.log('No staff accounts yet.');
    for (const r of rows) console.log(`${r.email}\t${r.name}\t${r.roles.join(', ')}`);
    return 0;
  } finally {
    await db.destroy();
  }
}
