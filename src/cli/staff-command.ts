/**
 * `tandem staff add|list|remove`: the department's staff accounts (who can sign in to the
 * dashboard, the evaluation pages, the resources' pages). The bootstrap coordinator is made
 * at start from TANDEM_COORDINATOR_EMAIL; everyone else is added here.
 */
import { parseArgs } from 'node:util';
import { createDb, ensureDatabaseExists } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { StaffRole } from '../../db/schema.ts';
import type { TandemConfig } from '../config/env.ts';
import { loadPolicyFile } from '../config/policy-file.ts';
import { STAFF_ROLES } from '../web/coordinator/session.ts';
import { upsertStaff } from '../web/coordinator/staff-accounts.ts';

const HELP = `Usage: tandem staff <add|list|remove> [options]

  add --email EMAIL --name NAME --role ROLE [--role ROLE…]
        create a staff account, or add roles to an existing one (roles: ${STAFF_ROLES.join(', ')})
  list  every staff account of the policy's department, with roles
  remove --email EMAIL
        delete the account and end its sessions`;

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

export async function staffCommand(argv: string[], loadConfig: () => TandemConfig): Promise<number> {
  const [sub, ...rest] = argv;
  let values: { email?: string; name?: string; role?: string[]; help?: boolean };
  try {
    values = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', multiple: true }, help: { type: 'boolean' } }, strict: true }).values;
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
  if (sub !== 'list' && (!email || !EMAIL.test(email))) problems.push(`--email must be an email address like name@example.edu${email ? ` (got "${values.email}")` : ''}`);
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
    if (sub === 'add') {
      await db.insertInto('departments').values({ id: department.id, name: department.name }).onConflict((oc) => oc.column('id').doNothing()).execute();
      const staff = await upsertStaff(db, { departmentId: department.id, email: email!, name: values.name!, roles: values.role as StaffRole[] });
      console.log(`${staff.name} <${staff.email}>: ${staff.roles.join(', ')}. They sign in at ${config.publicUrl}/login`);
      return 0;
    }
    if (sub === 'remove') {
      const removed = await db.deleteFrom('staff').where('department_id', '=', department.id).where('email', '=', email!).returning('email').executeTakeFirst();
      if (!removed) {
        console.error(`tandem staff remove: no staff account for ${email}`);
        return 1;
      }
      console.log(`Removed ${removed.email}; their sessions are ended.`);
      return 0;
    }
    const rows = await db.selectFrom('staff').select(['email', 'name', 'roles']).where('department_id', '=', department.id).orderBy('email').execute();
    if (rows.length === 0) console.log('No staff accounts yet.');
    for (const r of rows) console.log(`${r.email}\t${r.name}\t${r.roles.join(', ')}`);
    return 0;
  } finally {
    await db.destroy();
  }
}
