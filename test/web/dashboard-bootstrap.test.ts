/** The bootstrap coordinator: from configuration, upserted at start, with a link that signs in once. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.ts';
import { ensureBootstrapCoordinator } from '../../src/staff/bootstrap.ts';
import { upsertStaff } from '../../src/staff/accounts.ts';
import { TEST_SECRET } from '../support/stack.ts';
import { ORIGIN, PUBLIC_URL, sessionCookie } from './dashboard-support.ts';
import { useWebStack } from './support/web-stack.ts';

describe('TANDEM_COORDINATOR_EMAIL / _NAME', () => {
  const base = { TANDEM_SECRET: TEST_SECRET };
  it('reads the coordinator, lower-cased, with a default name', () => {
    expect(loadConfig({ ...base, TANDEM_COORDINATOR_EMAIL: 'Casey@Example.EDU', TANDEM_COORDINATOR_NAME: 'Casey Coordinator' }).coordinator).toEqual({
      email: 'casey@example.edu',
      name: 'Casey Coordinator',
    });
    expect(loadConfig({ ...base, TANDEM_COORDINATOR_EMAIL: 'casey@example.edu' }).coordinator).toEqual({
      email: 'casey@example.edu',
      name: 'Mentoring Coordinator',
    });
    expect(loadConfig(base).coordinator).toBeUndefined();
  });
  it('names the variable and the problem when malformed', () => {
    expect(() => loadConfig({ ...base, TANDEM_COORDINATOR_EMAIL: 'not an address' })).toThrow(
      new ConfigError('TANDEM_COORDINATOR_EMAIL', 'must be an email address like coordinator@example.edu (got "not an address")'),
    );
    expect(() => loadConfig({ ...base, TANDEM_COORDINATOR_NAME: 'Casey' })).toThrow(/^TANDEM_COORDINATOR_EMAIL: must be set when TANDEM_COORDINATOR_NAME is$/);
    expect(() => loadConfig({ ...base, TANDEM_COORDINATOR_EMAIL: 'c@example.edu', TANDEM_COORDINATOR_NAME: 'Casey <script>' })).toThrow(
      /^TANDEM_COORDINATOR_NAME: /,
    );
  });
});

describe('bootstrap coordinator at start', () => {
  const env = useWebStack();

  it('upserts the configured coordinator, keeps roles granted since, and prints a link that signs in once', async () => {
    const config = {
      ...loadConfig({ PUBLIC_URL, TANDEM_SECRET: TEST_SECRET, TANDEM_COORDINATOR_EMAIL: 'Boot.Strap@example.edu', TANDEM_COORDINATOR_NAME: 'Boot Strap' }),
    };
    const first = await ensureBootstrapCoordinator({ db: env.stack.db, policy: env.stack.policy, config });
    expect(first).toMatchObject({ email: 'boot.strap@example.edu', name: 'Boot Strap' });
    const staff = await env.stack.db.selectFrom('staff').selectAll().where('email', '=', 'boot.strap@example.edu').executeTakeFirstOrThrow();
    expect(staff.roles).toEqual(['coordinator']);
    await upsertStaff(env.stack.db, {
      departmentId: env.stack.policy.department.id,
      email: 'boot.strap@example.edu',
      name: 'Boot Strap',
      roles: ['evaluation'],
    });
    await ensureBootstrapCoordinator({ db: env.stack.db, policy: env.stack.policy, config });
    const again = await env.stack.db.selectFrom('staff').selectAll().where('email', '=', 'boot.strap@example.edu').execute();
    expect(again).toHaveLength(1);
    expect(again[0]!.roles).toEqual(['coordinator', 'evaluation']);

    const path = first!.loginUrl.slice(PUBLIC_URL.length);
    expect(path).toMatch(/^\/login\/[\w-]+\.[\w-]+$/);
    const spent = await env.web.inject({ method: 'POST', url: path, headers: ORIGIN, payload: {} });
    expect(spent.statusCode).toBe(303);
    const page = await env.web.inject({ method: 'GET', url: '/dashboard', headers: { cookie: sessionCookie(spent) } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Signed in as <strong>Boot Strap</strong>');
    expect((await env.web.inject({ method: 'POST', url: path, headers: ORIGIN, payload: {} })).statusCode).toBe(410);
  });
});
