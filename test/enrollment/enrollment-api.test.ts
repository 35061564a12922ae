import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { buildWebServer } from '../../src/web/server.ts';
import { enrollmentRoutes, tokenMatches } from '../../src/web/enrollment-routes.ts';
import { MAX_ROSTER_BYTES } from '../../src/enrollment/roster-limits.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';
import { FORMATS_DIR, readBadRoster } from './bad-rosters.ts';
import { departmentRows } from './support.ts';

const TOKEN = 'a-test-token-that-is-long-enough-0123456789';
const roster = readFileSync(path.join(FORMATS_DIR, 'semicolon.csv'));

describe('POST /api/enrollments', () => {
  let stack: TestStack;
  let web: FastifyInstance;
  const policy = testPolicy();
  beforeAll(async () => {
    stack = await startTestStack();
    web = Fastify();
    await web.register(enrollmentRoutes, {
      db: stack.db,
      policy,
      apiToken: TOKEN,
      temporal: async () => ({ client: stack.client, taskQueue: stack.taskQueue, owned: false }),
    });
  });
  afterAll(async () => {
    await web?.close();
    await stack?.close();
  });

  const post = (headers: Record<string, string>, body: Buffer | string = roster, query = '') =>
    web.inject({ method: 'POST', url: `/api/enrollments${query}`, headers: { 'content-type': 'text/csv', ...headers }, payload: body });

  it('refuses a request without a token, or with a wrong one, and imports nothing', async () => {
    const none = await post({});
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect((await post({ authorization: `Bearer ${TOKEN}x` })).statusCode).toBe(401);
    expect((await post({ authorization: `Basic ${TOKEN}` })).statusCode).toBe(401);
    expect((await departmentRows(stack.db, policy.department.id)).people).toEqual([]);
  });

  it('rejects a bad roster with every problem by row and column, and imports nothing', async () => {
    const response = await post({ authorization: `Bearer ${TOKEN}` }, readBadRoster('unknown-time-zone.csv'));
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      imported: false,
      problems: [{ row: 3, column: 'mentee_time_zone', reason: '"Mars/Olympus_Mons" is not an IANA time zone such as America/New_York' }],
    });
    expect((await departmentRows(stack.db, policy.department.id)).people).toEqual([]);
  });

  it('previews with dryRun, then imports with the right token, then finds nothing to do', async () => {
    const preview = await post({ authorization: `Bearer ${TOKEN}` }, roster, '?dryRun=true');
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ imported: false, summary: { dryRun: true, people: { new: 5 }, pairs: { new: 3 }, cycles: null } });
    expect((await departmentRows(stack.db, policy.department.id)).people).toEqual([]);

    const response = await post({ authorization: `bearer ${TOKEN}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      imported: true,
      summary: { people: { new: 5 }, pairs: { new: 3 }, cycles: { started: 3, alreadyRunning: 0 } },
      missingPairs: [],
    });
    const rows = await departmentRows(stack.db, policy.department.id);
    expect(rows.cycles).toHaveLength(3);
    const running = await Promise.all(rows.cycles.map((c) => stack.client.workflow.getHandle(c.workflow_id).describe()));
    expect(running.map((d) => d.status.name)).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);

    const again = await post({ authorization: `Bearer ${TOKEN}` });
    expect(again.json()).toMatchObject({ summary: { cyclesCreated: 0, cycles: { started: 0, alreadyRunning: 3 } } });
  });

  it('refuses a body over the limit the page and the CLI have too, and imports nothing', async () => {
    const response = await post({ authorization: `Bearer ${TOKEN}` }, Buffer.alloc(MAX_ROSTER_BYTES + 1, 0x61));
    expect(response.statusCode).toBe(413);
    expect(
      await stack.db.selectFrom('roster_imports').select('id').where('department_id', '=', policy.department.id).where('source', '=', 'api').execute(),
    ).toHaveLength(2);
  });

  it('is disabled (404) when TANDEM_API_TOKEN is not set', async () => {
    const fresh = testPolicy();
    const { apiToken: _unset, ...config } = loadConfig({});
    const app = await buildWebServer({ db: stack.db, policy: fresh, config });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/api/enrollments',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${TOKEN}` },
        payload: roster,
      });
      expect(response.statusCode).toBe(404);
      expect((await departmentRows(stack.db, fresh.department.id)).people).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('compares tokens by digest, so any length compares without throwing', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches('', TOKEN)).toBe(false);
    expect(tokenMatches(`${TOKEN}${TOKEN}`, TOKEN)).toBe(false);
  });
});
