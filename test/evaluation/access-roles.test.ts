/**
 * Every confidential staff route probed as each role: the evaluation committee reaches
 * packets only, a resource the help requests addressed to it only (with a reason, audited),
 * a coordinator neither, and someone without a session is sent to sign in.
 */
import { describe, expect, it } from 'vitest';
import { sealPlaintextHelpRequests } from '../../src/stores/participant-content-store.ts';
import { dataKeyFrom } from '../../src/security/data-encryption.ts';
import { upsertStaff } from '../../src/staff/accounts.ts';
import { enrollTestPair } from '../support/cycle.ts';
import { TEST_SECRET } from '../support/stack.ts';
import { makeStaff } from '../web/dashboard-support.ts';
import { staffCookie } from './support.ts';
import { useWebStack } from '../web/support/web-stack.ts';

describe('who reaches which confidential route', () => {
  const env = useWebStack();

  it('gives packets to the evaluation role, help requests to their resource, and nothing to a coordinator', async () => {
    const c = await enrollTestPair(env.stack);
    await env.stack.db
      .insertInto('help_requests')
      .values({ cycle_id: c.cycleId, person_id: c.menteeId, resource_id: 'ombuds', message: 'HELP-SECRET: my lab is hostile' })
      .execute();
    await env.stack.db
      .insertInto('help_requests')
      .values({ cycle_id: c.cycleId, person_id: c.menteeId, resource_id: 'counseling', message: 'HELP-OTHER: counseling only' })
      .execute();
    await makeStaff(env.stack, ['coordinator']);
    const dept = env.stack.policy.department.id;
    const ombuds = await upsertStaff(env.stack.db, { departmentId: dept, email: 'ombuds@example.edu', name: 'Olu Ombuds', roles: ['resource'] });
    const cookies = {
      none: undefined,
      coordinator: await staffCookie(env.web, env.stack, (await makeStaff(env.stack, ['coordinator'])).email),
      evaluation: await staffCookie(env.web, env.stack, (await makeStaff(env.stack, ['evaluation'])).email),
      resource: await staffCookie(env.web, env.stack, 'ombuds@example.edu'),
    };
    const routes = [
      '/evaluation',
      '/evaluation/packets?reason=review',
      '/evaluation/packets.csv?reason=review',
      '/resources/help-requests',
      '/resources/help-requests?reason=reply',
    ];
    const expected: Record<keyof typeof cookies, number[]> = {
      none: [303, 303, 303, 303, 303],
      coordinator: [403, 403, 403, 403, 403],
      evaluation: [200, 200, 200, 403, 403],
      resource: [403, 403, 403, 200, 200],
    };
    for (const [role, cookie] of Object.entries(cookies) as [keyof typeof cookies, string | undefined][]) {
      const statuses: number[] = [];
      for (const url of routes) {
        const response = await env.web.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
        statuses.push(response.statusCode);
        if (!(role === 'resource' && url.includes('reason='))) expect(response.body, `${role} ${url}`).not.toContain('HELP-SECRET');
        expect(response.body, `${role} ${url}`).not.toContain('HELP-OTHER');
      }
      expect(statuses, role).toEqual(expected[role]);
    }

    // Without a reason the resource sees that a request exists, not what it says; with one, it reads it, on the record.
    const list = await env.web.inject({ method: 'GET', url: '/resources/help-requests', headers: { cookie: cookies.resource } });
    // Other test files share the database and may have asked the ombuds for help too: count what this department holds.
    const forOmbuds = await env.stack.db
      .selectFrom('help_requests')
      .innerJoin('cycles', 'cycles.id', 'help_requests.cycle_id')
      .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
      .select('help_requests.id')
      .where('resource_id', '=', 'ombuds')
      .where('pairs.department_id', '=', dept)
      .execute();
    expect(list.body).toContain(`${forOmbuds.length} request${forOmbuds.length === 1 ? '' : 's'} addressed to you`);
    const read = await env.web.inject({ method: 'GET', url: '/resources/help-requests?reason=reply', headers: { cookie: cookies.resource } });
    expect(read.body).toContain('HELP-SECRET: my lab is hostile');
    const mineIds = (await env.stack.db.selectFrom('help_requests').select('id').where('cycle_id', '=', c.cycleId).execute()).map((r) => r.id);
    const audit = await env.stack.db.selectFrom('audit_log').selectAll().where('actor_id', '=', ombuds.id).where('subject_id', 'in', mineIds).execute();
    expect(audit).toHaveLength(2); // the probe loop's read and this one
    expect(audit.every((a) => a.action === 'read-help-request' && a.reason === 'reply' && a.actor_role === 'resource')).toBe(true);

    // The rows above were written in plaintext, as before 0008; `tandem migrate` seals them and they still read.
    const key = dataKeyFrom({ secret: TEST_SECRET });
    expect(await sealPlaintextHelpRequests(env.stack.db, key)).toBeGreaterThanOrEqual(2);
    const mine = await env.stack.db.selectFrom('help_requests').select(['message', 'sealed']).where('cycle_id', '=', c.cycleId).execute();
    expect(mine.map((r) => [r.message, r.sealed !== null])).toEqual([
      [null, true],
      [null, true],
    ]);
    expect(await sealPlaintextHelpRequests(env.stack.db, key)).toBe(0);
    const reread = await env.web.inject({ method: 'GET', url: '/resources/help-requests?reason=reply', headers: { cookie: cookies.resource } });
    expect(reread.body).toContain('HELP-SECRET: my lab is hostile');
    expect(reread.body).not.toContain('HELP-OTHER');
    await c.handle.terminate('test over');
  });
});
