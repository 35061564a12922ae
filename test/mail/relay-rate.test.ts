/**
 * The relay's shared rate (src/mail/relay-rate.ts) over real Postgres: sends that ask at once
 * share statements, and still get consecutive slots, across limiters as across processes.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { createRelayRateLimiter } from '../../src/mail/relay-rate.ts';
import { loggingStatements } from '../support/statement-log.ts';

describe('the relay rate limiter', () => {
  let db: Kysely<Database>;
  beforeAll(() => {
    db = createDb(inject('databaseUrl'));
  });
  afterAll(() => db.destroy());

  it('hands sends that ask together consecutive slots in a few statements, two limiters sharing one row', async () => {
    const relay = `relay-rate-test-${randomUUID()}`;
    const log = loggingStatements(db);
    const rate = 100; // a slot every 10 ms
    const limiters = [createRelayRateLimiter(log.db, relay, rate), createRelayRateLimiter(log.db, relay, rate)];
    const t0 = performance.now();
    const sends = 60;
    const ready = await Promise.all(Array.from({ length: sends }, (_, i) => limiters[i % 2]!.acquire().then(() => performance.now() - t0)));

    // Each limiter: one take for its first send, one for everything that asked meanwhile.
    expect(log.nodes.length).toBeLessThanOrEqual(6);
    // Sixty consecutive slots 10 ms apart: the last may go 590 ms after the first, never sooner.
    expect(Math.max(...ready)).toBeGreaterThanOrEqual(((sends - 1) * 1000) / rate - 5);
    // And the row has moved on by all sixty: the next send waits behind them.
    const next = await db
      .selectFrom('relay_send_slots')
      .select(sql<number>`extract(epoch from next_at - now()) * 1000`.as('aheadMs'))
      .where('relay', '=', relay)
      .executeTakeFirstOrThrow();
    expect(Number(next.aheadMs)).toBeGreaterThan(-200);
    await db.deleteFrom('relay_send_slots').where('relay', '=', relay).execute();
  });

  it('fails the sends whose take failed, and takes again for the next ones', async () => {
    let failNext = true;
    const flaky = db.withPlugin({
      transformQuery: ({ node }) => {
        if (failNext) {
          failNext = false;
          throw new Error('connection lost');
        }
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const relay = `relay-rate-test-${randomUUID()}`;
    const limiter = createRelayRateLimiter(flaky, relay, 100);
    await expect(limiter.acquire()).rejects.toThrow('connection lost');
    await expect(Promise.all([limiter.acquire(), limiter.acquire()])).resolves.toEqual([undefined, undefined]);
    await db.deleteFrom('relay_send_slots').where('relay', '=', relay).execute();
  });
});
