/**
 * The staff page's forms on the real stack: add (a sign-in email arrives), change roles,
 * remove, notices; and the bad input — a malformed or duplicate email, removing or demoting
 * the last coordinator — each answered with the reason and the typed values, changing nothing.
 * Every change is in the audit log; `tandem staff remove` refuses the last coordinator too.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ORIGIN, makeStaff, requestLoginLink, sessionCookie, signIn } from './dashboard-support.ts';
import { useWebStack } from './support/web-stack.ts';
import { removeStaff, StaffChangeError, CLI_ACTOR } from '../../src/staff/directory.ts';

describe('the staff page', () => {
  const ctx = useWebStack();
  const post = (session: { cookie: string; csrf: string }, url: string, payload: Record<string, string | string[]>) =>
    ctx.web.inject({
      method: 'POST',
      url,
      headers: { ...ORIGIN, cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(
        Object.entries({ _csrf: session.csrf, ...payload }).flatMap(([k, v]) =>
          Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]],
        ),
      ).toString(),
    });
  const staffRows = () =>
    ctx.stack.db.selectFrom('staff').select(['id', 'email', 'roles']).where('department_id', '=', ctx.stack.policy.department.id).execute();
  const audit = (subjectId: string) =>
    ctx.stack.db.selectFrom('audit_log').select(['action', 'actor_id', 'reason']).where('subject_id', '=', subjectId).orderBy('id').execute();

  it('adds a member who is emailed a sign-in link, changes their roles, and removes them, all audited', async () => {
    const me = await makeStaff(ctx.stack, ['coordinator']);
    const session = await signIn(ctx.web, ctx.stack, me.email);
    const page = await ctx.web.inject({ method: 'GET', url: '/dashboard/staff', headers: { cookie: session.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(me.email);

    const email = `erin.${randomUUID().slice(0, 6)}@example.edu`;
    const added = await post(session, '/dashboard/staff', { name: 'Erin Evaluator', email: email.toUpperCase(), roles: ['evaluation'] });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/dashboard/staff?done=added');
    await ctx.stack.mail.waitFor(() => ctx.stack.mail.to(email).length === 1);
    const welcome = ctx.stack.mail.to(email)[0]!.parsed;
    expect(welcome.subject).toContain('You can now sign in to Tandem');
    expect(welcome.text).toMatch(/http:\/\/tandem\.test\/login\/\S+/);
    expect(welcome.text).toContain('Evaluation packets');
    const row = (await staffRows()).find((r) => r.email === email)!;
    expect(row.roles).toEqual(['evaluation']);

    expect((await post(session, `/dashboard/staff/${row.id}/roles`, { roles: ['evaluation', 'resource'] })).statusCode).toBe(303);
    expect((await staffRows()).find((r) => r.id === row.id)!.roles).toEqual(['evaluation', 'resource']);
    expect((await post(session, `/dashboard/staff/${row.id}/remove`, {})).statusCode).toBe(303);
    expect((await staffRows()).find((r) => r.id === row.id)).toBeUndefined();

    expect(await audit(row.id)).toEqual([
      { action: 'add-staff', actor_id: me.id, reason: 'added with roles: evaluation' },
      { action: 'change-staff-roles', actor_id: me.id, reason: 'roles: evaluation → evaluation, resource' },
      { action: 'remove-staff', actor_id: me.id, reason: 'removed (had roles: evaluation, resource)' },
    ]);
  });

  it('refuses a malformed or duplicate email, keeping what was typed, and adds nobody', async () => {
    const me = await makeStaff(ctx.stack, ['coordinator']);
    const session = await signIn(ctx.web, ctx.stack, me.email);
    const before = await staffRows();
    const bad = await post(session, '/dashboard/staff', { name: 'Nora Typo', email: 'nora.example.edu', roles: ['resource'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Email: must be an email address like name@example.edu (got &quot;nora.example.edu&quot;).');
    expect(bad.body).toContain('value="Nora Typo"');
    expect(bad.body).toMatch(/id="add-role-resource" checked/);
    const duplicate = await post(session, '/dashboard/staff', { name: 'Me Again', email: me.email, roles: ['evaluation'] });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.body).toContain(`${me.email} already has a staff account`);
    const noRoles = await post(session, '/dashboard/staff', { name: 'No Roles', email: `x.${randomUUID().slice(0, 6)}@example.edu` });
    expect(noRoles.statusCode).toBe(400);
    expect(noRoles.body).toContain('Roles: choose at least one');
    expect(await staffRows()).toEqual(before);
  });

  it('never lets the last coordinator go, from the page or the terminal', async () => {
    // Alone in a department of its own, so other tests' coordinators do not count.
    const departmentId = `solo-${randomUUID().slice(0, 6)}`;
    await ctx.stack.db.insertInto('departments').values({ id: departmentId, name: 'Solo' }).execute();
    const solo = await ctx.stack.db
      .insertInto('staff')
      .values({ department_id: departmentId, email: `solo.${randomUUID().slice(0, 6)}@example.edu`, name: 'Solo', roles: ['coordinator'] })
      .returningAll()
      .executeTakeFirstOrThrow();
    await expect(removeStaff(ctx.stack.db, CLI_ACTOR, departmentId, solo.id)).rejects.toThrow(StaffChangeError);
    await expect(removeStaff(ctx.stack.db, CLI_ACTOR, departmentId, solo.id)).rejects.toThrow(
      "staff: this is the department's last coordinator; add another coordinator first",
    );
    expect(await ctx.stack.db.selectFrom('staff').select('id').where('id', '=', solo.id).execute()).toHaveLength(1);
    expect(await audit(solo.id)).toEqual([]);
  });

  it('refuses demoting or removing the last coordinator of the department on the page', async () => {
    // A department of its own, so the other tests' coordinators (and files running alongside) do not count.
    const departmentId = `page-${randomUUID().slice(0, 6)}`;
    await ctx.stack.db.insertInto('departments').values({ id: departmentId, name: 'Alone' }).execute();
    const coordinator = (name: string) =>
      ctx.stack.db
        .insertInto('staff')
        .values({ department_id: departmentId, email: `${name.toLowerCase()}.${randomUUID().slice(0, 6)}@example.edu`, name, roles: ['coordinator'] })
        .returningAll()
        .executeTakeFirstOrThrow();
    const me = await coordinator('Casey');
    const session = await signIn(ctx.web, ctx.stack, me.email);
    const rolesIn = async () =>
      (await ctx.stack.db.selectFrom('staff').select('roles').where('department_id', '=', departmentId).execute()).map((r) => r.roles);
    const demote = await post(session, `/dashboard/staff/${me.id}/roles`, { roles: ['evaluation'] });
    expect(demote.statusCode).toBe(409);
    expect(demote.body).toContain('this is the department&#39;s last coordinator');
    const remove = await post(session, `/dashboard/staff/${me.id}/remove`, {});
    expect(remove.statusCode).toBe(409);
    expect(await rolesIn()).toEqual([['coordinator']]);
    // With a second coordinator, the first may step down, and the second may then be removed only while one remains.
    const other = await coordinator('Cleo');
    const steppedDown = await post(session, `/dashboard/staff/${me.id}/roles`, { roles: ['evaluation'] });
    expect(steppedDown.statusCode).toBe(303);
    expect(steppedDown.headers.location).toBe('/evaluation');
    // Now Cleo is the last coordinator: she cannot remove herself either.
    const cleo = await signIn(ctx.web, ctx.stack, other.email);
    const last = await post(cleo, `/dashboard/staff/${other.id}/remove`, {});
    expect(last.statusCode).toBe(409);
    expect(last.body).toContain('add another coordinator first');
    expect(await rolesIn()).toEqual(expect.arrayContaining([['evaluation'], ['coordinator']]));
    expect(await audit(me.id)).toEqual([{ action: 'change-staff-roles', actor_id: me.id, reason: 'roles: coordinator → evaluation' }]);
  });

  it('lets a coordinator choose a daily digest for department notices', async () => {
    const me = await makeStaff(ctx.stack, ['coordinator']);
    const session = await signIn(ctx.web, ctx.stack, me.email);
    expect((await post(session, '/dashboard/staff/notices', { delivery: 'weekly' })).statusCode).toBe(400);
    expect((await post(session, '/dashboard/staff/notices', { delivery: 'digest' })).statusCode).toBe(303);
    const row = await ctx.stack.db.selectFrom('staff').select('notice_delivery').where('id', '=', me.id).executeTakeFirstOrThrow();
    expect(row.notice_delivery).toBe('digest');
  });

  it('is for coordinators only', async () => {
    const evaluator = await makeStaff(ctx.stack, ['evaluation']);
    const link = await requestLoginLink(ctx.web, ctx.stack, evaluator.email);
    const cookie = sessionCookie(await ctx.web.inject({ method: 'POST', url: link, headers: ORIGIN, payload: {} }));
    const refused = await ctx.web.inject({ method: 'GET', url: '/dashboard/staff', headers: { cookie } });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('It needs the coordinator role');
    const anonymous = await ctx.web.inject({ method: 'GET', url: '/dashboard/staff' });
    expect(anonymous.statusCode).toBe(303);
  });
});
