/**
 * A transaction Postgres aborts to break a deadlock runs again and commits; the other one,
 * which won the deadlock, is untouched. Two real sessions lock two rows in opposite orders.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb } from '../../db/connection.ts';
import { transactionRetryingDeadlocks } from '../../src/stores/transactions.ts';

describe('transactionRetryingDeadlocks', () => {
  let db: Kysely<unknown>;
  const table = `deadlock_probe_${process.pid}`;

  beforeAll(async () => {
    db = createDb(inject('databaseUrl')) as unknown as Kysely<unknown>;
    await sql.raw(`create table ${table} (id int primary key, n int not null)`).execute(db);
    await sql.raw(`insert into ${table} values (1, 0), (2, 0)`).execute(db);
  });
  afterAll(async () => {
    await sql.raw(`drop table if exists ${table}`).execute(db);
    await db.destroy();
  });

  const bump = (trx: Kysely<unknown>, id: number) => sql.raw(`update ${table} set n = n + 1 where id = ${id}`).execute(trx);

  it('runs the aborted transaction again from the start, and both commit', async () => {
    let attempts = 0;
    let secondHoldsRowOne!: () => void;
    const rowOneHeld = new Promise<void>((resolve) => (secondHoldsRowOne = resolve));
    let firstHoldsRowTwo!: () => void;
    const rowTwoHeld = new Promise<void>((resolve) => (firstHoldsRowTwo = resolve));

    // This one waits first and detects the deadlock first (its shorter deadlock_timeout), so Postgres aborts it.
    const retried = transactionRetryingDeadlocks(db, async (trx) => {
      attempts++;
      await sql`set local deadlock_timeout = '50ms'`.execute(trx);
      await bump(trx, 2);
      if (attempts === 1) {
        firstHoldsRowTwo();
        await rowOneHeld;
      }
      await bump(trx, 1);
      return attempts;
    });
    const other = db.transaction().execute(async (trx) => {
      await rowTwoHeld;
      await bump(trx, 1);
      secondHoldsRowOne();
      // Waits for row 2, held by the first attempt until Postgres aborts it.
      await bump(trx, 2);
    });

    expect(await retried).toBe(2);
    await other;
    const rows = await sql.raw<{ id: number; n: number }>(`select id, n from ${table} order by id`).execute(db);
    expect(rows.rows).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 2 },
    ]);
  });

  it('does not retry other failures', async () => {
    let attempts = 0;
    await expect(
      transactionRetryingDeadlocks(db, async (trx) => {
        attempts++;
        await sql.raw(`insert into ${table} values (1, 0)`).execute(trx);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
  });
});
