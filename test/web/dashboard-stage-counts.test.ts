/**
 * The dashboard's chart counts come from cycle_stage_counts (0015), kept by triggers: after
 * every kind of write the projection and enrollment make, they equal a count of the cycles.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb, dropDatabase, ensureDatabaseExists } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { Database } from '../../db/schema.ts';
import { countByStage, type StageCount } from '../../src/stores/dashboard-store.ts';
import { seedCycle } from './dashboard-support.ts';
import { testPolicy, type TestStack } from '../support/stack.ts';

const sorted = (counts: StageCount[]) => [...counts].sort((a, b) => `${a.status}/${a.step}`.localeCompare(`${b.status}/${b.step}`));

describe('dashboard stage counts', () => {
  // Its own database: the counts are the whole department's, so no other test's rows may land in it.
  const url = new URL(inject('databaseUrl'));
  url.pathname = `${url.pathname}_stage_counts`;
  const databaseUrl = url.toString();
  const policy = testPolicy();
  const dept = policy.department.id;
  let db: Kysely<Database>;

  async function recount(program?: string): Promise<StageCount[]> {
    const rows = await sql<{ step: string | null; status: StageCount['status']; count: string }>`
      select c.current_step as step, c.status, count(*) as count from cycles c join pairs p on p.id = c.pair_id
      where p.department_id = ${dept} and (${program ?? null}::text is null or p.program = ${program ?? null})
      group by c.status, c.current_step`.execute(db);
    return rows.rows.map((r) => ({ step: r.step, status: r.status, count: Number(r.count) }));
  }

  async function expectKept(): Promise<void> {
    expect(sorted(await countByStage(db, dept, { state: 'all' }))).toEqual(sorted(await recount()));
    for (const program of ['PhD Biology', 'PhD Physics', 'MSc Ecology']) {
      expect(sorted(await countByStage(db, dept, { state: 'all', program }))).toEqual(sorted(await recount(program)));
    }
  }

  beforeAll(async () => {
    await ensureDatabaseExists(databaseUrl);
    db = createDb(databaseUrl, 4);
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(databaseUrl);
  });

  it('follows inserts, status and step changes, program moves and deletes', async () => {
    const stack = { db, policy } as TestStack;
    const seeded: Awaited<ReturnType<typeof seedCycle>>[] = [];
    for (let i = 0; i < 6; i++)
      seeded.push(
        await seedCycle(stack, {
          program: i % 2 ? 'PhD Physics' : 'PhD Biology',
          status: i === 5 ? 'stalled' : 'running',
          step: i === 4 ? null : 'expectations',
        }),
      );
    await expectKept();
    expect((await countByStage(db, dept, { state: 'all' })).reduce((n, c) => n + c.count, 0)).toBe(6);

    await db.updateTable('cycles').set({ current_step: 'check-in-1' }).where('id', '=', seeded[0]!.cycleId).execute();
    await db.updateTable('cycles').set({ status: 'stalled', stalled_since: new Date() }).where('id', '=', seeded[1]!.cycleId).execute();
    await db.updateTable('cycles').set({ status: 'completed', current_step: null }).where('id', '=', seeded[2]!.cycleId).execute();
    await db
      .updateTable('cycles')
      .set({ due_at: new Date('2027-01-01T00:00:00Z') })
      .where('id', '=', seeded[3]!.cycleId)
      .execute(); // no count moves
    await expectKept();

    await db.updateTable('pairs').set({ program: 'MSc Ecology' }).where('id', '=', seeded[3]!.pairId).execute();
    await db.updateTable('pairs').set({ program: null }).where('id', '=', seeded[4]!.pairId).execute();
    await expectKept();

    // The same cycle moved twice in one transaction, and a cycle deleted.
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('cycles').set({ status: 'paused' }).where('id', '=', seeded[5]!.cycleId).execute();
      await trx.updateTable('cycles').set({ status: 'running', current_step: 'feedback' }).where('id', '=', seeded[5]!.cycleId).execute();
    });
    await db.deleteFrom('cycles').where('id', '=', seeded[0]!.cycleId).execute();
    await expectKept();
    // A count that fell to zero is not shown as a stage with no cycles.
    expect((await countByStage(db, dept, { state: 'all' })).every((c) => c.count > 0)).toBe(true);
  });
});
