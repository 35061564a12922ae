/**
 * Rotating TANDEM_SECRET and TANDEM_DATA_KEY without breaking anything: links signed with the
 * old secret still open pages; `tandem rotate-data-key` re-seals every sealed row under the
 * newest key, and a run killed half-way loses nothing and resumes.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createDb, dropDatabase, ensureDatabaseExists } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { Database } from '../../db/schema.ts';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../src/config/env.ts';
import { feedbackPurpose, helpRequestPurpose as helpPurpose } from '../../src/stores/participant-content-store.ts';
import { packetPurpose } from '../../src/stores/report-store.ts';
import { issueActionToken, verifyActionToken } from '../../src/security/action-tokens.ts';
import { DataKey, dataKeyFrom, open, seal, sealedKeyId } from '../../src/security/data-encryption.ts';
import { buildWebServer } from '../../src/web/server.ts';
import { enrollTestPair } from '../support/cycle.ts';
import { startTestStack, TEST_SECRET, testPolicy, type TestStack } from '../support/stack.ts';
import { seedCycle } from '../web/dashboard-support.ts';
import { linkFromMail, PUBLIC_URL } from '../web/support/participant-web.ts';

const NEW_SECRET = 'the-new-deployment-secret-after-rotation-0123';
const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');
const HELP_REQUESTS = 1_500;
const MAIN = path.resolve(import.meta.dirname, '../../src/cli/main.ts');

describe('secret rotation', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  async function webWithSecret(secret: string) {
    const config = loadConfig({ PUBLIC_URL, TANDEM_SECRET: secret, SMTP_URL: stack.mail.smtpUrl, TEMPORAL_TASK_QUEUE: stack.taskQueue, LOG_LEVEL: 'silent' });
    return buildWebServer({ db: stack.db, policy: stack.policy, config, temporal: async () => stack.client });
  }

  it('a link emailed under the old secret still opens its page once the new one signs', async () => {
    const cycle = await enrollTestPair(stack);
    const link = await linkFromMail(stack, cycle.mentorEmail, 'share-expectations');

    const rotated = await webWithSecret(`${NEW_SECRET},${TEST_SECRET}`);
    const page = await rotated.inject({ method: 'GET', url: link });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('expectations');
    await rotated.close();

    // Without the old secret in the list the same link is refused: the list is what keeps it working.
    const newOnly = await webWithSecret(NEW_SECRET);
    expect((await newOnly.inject({ method: 'GET', url: link })).statusCode).toBe(403);
    await newOnly.close();

    // New links are signed with the first secret of the list.
    const fresh = issueActionToken(`${NEW_SECRET},${TEST_SECRET}`, { sub: cycle.mentorId, cyc: cycle.cycleId, act: 'share-expectations' }, { ttlSeconds: 600 });
    expect(verifyActionToken(NEW_SECRET, fresh).sub).toBe(cycle.mentorId);
    expect(() => verifyActionToken(TEST_SECRET, fresh)).toThrow('not issued by Tandem');
  }, 120_000);

  it('a malformed secret list or data key stops start-up naming the variable', () => {
    expect(() => loadConfig({ TANDEM_SECRET: `${NEW_SECRET},short` })).toThrow(/^TANDEM_SECRET: entry 2 of 2 must be at least 32 characters/);
    expect(() => loadConfig({ TANDEM_SECRET: NEW_SECRET, TANDEM_DATA_KEY: `${NEW_KEY},not-a-key` })).toThrow(
      /^TANDEM_DATA_KEY: entry 2 of 2 must be 32 bytes in base64/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', TANDEM_SECRET: NEW_SECRET })).toThrow(/^TANDEM_DATA_KEY: must be set in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', TANDEM_DATA_KEY: NEW_KEY })).toThrow(/^TANDEM_SECRET: must be set in production/);
    expect(loadConfig({ NODE_ENV: 'production', TANDEM_SECRET: ` ${NEW_SECRET} , ${TEST_SECRET} `, TANDEM_DATA_KEY: `${NEW_KEY}, ${OLD_KEY}` }).dataKey).toBe(
      `${NEW_KEY},${OLD_KEY}`,
    );
  });
});

describe('tandem rotate-data-key', () => {
  // Its own database: the other tests' rows are sealed under keys this one does not hold.
  const url = new URL(inject('databaseUrl'));
  url.pathname = `${url.pathname}_rotation`;
  const databaseUrl = url.toString();
  let db: Kysely<Database>;
  const originals = new Map<string, { table: 'feedback' | 'evaluation_packets' | 'help_requests'; purpose: string; value: unknown }>();

  beforeAll(async () => {
    await ensureDatabaseExists(databaseUrl);
    db = createDb(databaseUrl, 4);
    await migrateToLatest(db);
    const policy = testPolicy();
    const old = new DataKey(Buffer.from(OLD_KEY, 'base64'));
    const { cycleId, pairId } = await seedCycle({ db, policy } as TestStack);
    const pair = await db.selectFrom('pairs').select(['mentor_id', 'mentee_id']).where('id', '=', pairId).executeTakeFirstOrThrow();

    const feedback = { ratings: { communication: 4 }, comments: 'confidential words' };
    const row = await db
      .insertInto('feedback')
      .values({
        cycle_id: cycleId,
        author_person_id: pair.mentee_id,
        author_role: 'mentee',
        content: null,
        sealed: seal(old, feedbackPurpose(cycleId, 'mentee'), feedback),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    originals.set(row.id, { table: 'feedback', purpose: feedbackPurpose(cycleId, 'mentee'), value: feedback });

    const packet = { ratings: [{ competency: 'communication', mean: 4 }] };
    const packetRow = await db
      .insertInto('evaluation_packets')
      .values({
        department_id: policy.department.id,
        mentor_id: pair.mentor_id,
        academic_year: 2026,
        ratings_status: 'released',
        sealed: seal(old, packetPurpose(pair.mentor_id, 2026), packet),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    originals.set(packetRow.id, { table: 'evaluation_packets', purpose: packetPurpose(pair.mentor_id, 2026), value: packet });

    const requests = Array.from({ length: HELP_REQUESTS }, (_, i) => ({ id: randomUUID(), message: `help request ${i}: something confidential` }));
    for (let i = 0; i < requests.length; i += 500) {
      await db
        .insertInto('help_requests')
        .values(
          requests.slice(i, i + 500).map((r) => ({
            id: r.id,
            cycle_id: cycleId,
            person_id: pair.mentee_id,
            resource_id: 'ombuds',
            message: null,
            sealed: seal(old, helpPurpose(r.id), r.message),
          })),
        )
        .execute();
    }
    for (const r of requests) originals.set(r.id, { table: 'help_requests', purpose: helpPurpose(r.id), value: r.message });
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(databaseUrl);
  });

  function rotate(onLine?: (line: string, kill: () => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string[] }> {
    const child = spawn(process.execPath, [MAIN, 'rotate-data-key'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, TANDEM_SECRET: NEW_SECRET, TANDEM_DATA_KEY: `${NEW_KEY},${OLD_KEY}`, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const output: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      onLine?.(line, () => child.kill('SIGKILL'));
    });
    return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })));
  }

  async function sealedRows(): Promise<{ id: string; sealed: Buffer }[]> {
    const [feedback, packets, help] = await Promise.all([
      db.selectFrom('feedback').select(['id', 'sealed']).execute(),
      db.selectFrom('evaluation_packets').select(['id', 'sealed']).execute(),
      db.selectFrom('help_requests').select(['id', 'sealed']).execute(),
    ]);
    return [...feedback, ...packets, ...help].map((r) => ({ id: r.id, sealed: r.sealed! }));
  }

  function expectAllReadable(rows: { id: string; sealed: Buffer }[], key: DataKey): void {
    expect(rows).toHaveLength(originals.size);
    for (const row of rows) {
      const original = originals.get(row.id)!;
      expect(open(key, original.purpose, row.sealed)).toEqual(original.value);
    }
  }

  it('killed half-way it loses nothing; run again it finishes; then the newest key alone opens every row', async () => {
    const ring = dataKeyFrom({ dataKey: `${NEW_KEY},${OLD_KEY}`, secret: NEW_SECRET });
    const newest = new DataKey(Buffer.from(NEW_KEY, 'base64'));
    const oldId = new DataKey(Buffer.from(OLD_KEY, 'base64')).currentId;

    const killed = await rotate((line, kill) => {
      if (/^help_requests: [1-9]\d* re-sealed/.test(line)) kill();
    });
    expect(killed.signal).toBe('SIGKILL');
    const midway = await sealedRows();
    expect(midway.filter((r) => sealedKeyId(r.sealed) === newest.currentId).length).toBeGreaterThan(0);
    expect(midway.filter((r) => sealedKeyId(r.sealed) === oldId).length).toBeGreaterThan(0);
    expectAllReadable(midway, ring);

    const resumed = await rotate();
    expect(resumed.code).toBe(0);
    expect(resumed.output.join('\n')).toContain('Every sealed row is under the newest key');
    const after = await sealedRows();
    expect(after.every((r) => sealedKeyId(r.sealed) === newest.currentId)).toBe(true);
    expectAllReadable(after, newest);

    // Once more: nothing left to do, nothing changed.
    const again = await rotate();
    expect(again.code).toBe(0);
    expect(again.output).toContain(`done help_requests: 0 re-sealed, ${HELP_REQUESTS} already current`);
  }, 180_000);
});
