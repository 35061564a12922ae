/** `tandem staff add|list|remove` against the real test database. */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createDb } from '../../db/connection.ts';
import { loadConfig } from '../../src/config/env.ts';
import { staffCommand } from '../../src/cli/staff-command.ts';
import { TEST_SECRET } from '../support/stack.ts';

describe('tandem staff', () => {
  const db = createDb(inject('databaseUrl'), 1);
  const config = () => loadConfig({ DATABASE_URL: inject('databaseUrl'), TANDEM_SECRET: TEST_SECRET, PUBLIC_URL: 'http://tandem.test' });
  let out: string[] = [];
  let err: string[] = [];
  beforeAll(() => {
    vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  });
  afterEach(() => {
    out = [];
    err = [];
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await db.destroy();
  });

  it('adds an account, adds roles to it, lists it, and removes it with its sessions', async () => {
    const email = `eva.${randomUUID().slice(0, 8)}@example.edu`;
    expect(await staffCommand(['add', '--email', email.toUpperCase(), '--name', 'Eva Evaluator', '--role', 'evaluation'], config)).toBe(0);
    expect(out.at(-1)).toBe(`Eva Evaluator <${email}>: evaluation. They sign in at http://tandem.test/login`);
    expect(await staffCommand(['add', '--email', email, '--name', 'Eva Evaluator', '--role', 'resource'], config)).toBe(0);
    const row = await db.selectFrom('staff').select(['id', 'roles']).where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.roles).toEqual(['evaluation', 'resource']);
    await db
      .insertInto('staff_sessions')
      .values({ id_hash: randomUUID(), staff_id: row.id, csrf_token: 't', last_seen_at: new Date(), expires_at: new Date(Date.now() + 60_000) })
      .execute();

    expect(await staffCommand(['list'], config)).toBe(0);
    expect(out).toContain(`${email}\tEva Evaluator\tevaluation, resource`);

    expect(await staffCommand(['remove', '--email', email], config)).toBe(0);
    expect(await db.selectFrom('staff').select('id').where('email', '=', email).execute()).toEqual([]);
    expect(await db.selectFrom('staff_sessions').select('id_hash').where('staff_id', '=', row.id).execute()).toEqual([]);
    expect(await staffCommand(['remove', '--email', email], config)).toBe(1);
  });

  it('names each bad argument and changes nothing', async () => {
    const email = `nobody.${randomUUID().slice(0, 8)}@example.edu`;
    expect(await staffCommand(['add', '--email', email, '--role', 'janitor'], config)).toBe(2);
    expect(err).toEqual(['tandem staff add: --name is required', 'tandem staff add: --role "janitor" is not one of coordinator, evaluation, resource']);
    expect(await staffCommand(['add', '--email', 'not-an-address', '--name', 'X', '--role', 'coordinator'], config)).toBe(2);
    expect(err.at(-1)).toBe('tandem staff add: --email must be an email address like name@example.edu (got "not-an-address")');
    expect(await db.selectFrom('staff').select('id').where('email', '=', email).execute()).toEqual([]);
  });
});
