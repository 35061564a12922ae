/** The `roster_imports` rows and their `roster_import_starts` (each cycle an import starts, with its outcome). */
import { sql, type Kysely } from 'kysely';
import type { Database, RosterStartStatus } from '../../db/schema.ts';
import { startableOf, type StartableCycle } from './cycle-store.ts';

/** Up to `limit` cycles of the import still to start (pending, or failed before), in a stable order. */
export async function importCyclesToStart(db: Kysely<Database>, importId: string, limit: number): Promise<StartableCycle[]> {
  const rows = await db
    .selectFrom('roster_import_starts as s')
    .innerJoin('cycles as c', 'c.id', 's.cycle_id')
    .innerJoin('pairs as p', 'p.id', 'c.pair_id')
    .innerJoin('people as mentee', 'mentee.id', 'p.mentee_id')
    .select(['c.id', 'c.pair_id', 'c.academic_year', 'c.workflow_id', 'c.enrolled_at', 'c.joined_at', 'mentee.time_zone'])
    .where('s.import_id', '=', importId)
    .where('s.status', 'in', ['pending', 'failed'])
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map(startableOf);
}

/** Records how starting these cycles of the import went; `reason` only for failures. */
export async function markImportStarts(db: Kysely<Database>, importId: string, status: RosterStartStatus, cycleIds: readonly string[], reason: string | null): Promise<void> {
  await db
    .updateTable('roster_import_starts')
    .set({ status, reason: status === 'failed' ? reason : null })
    .where('import_id', '=', importId)
    .where('cycle_id', '=', sql<string>`any(${cycleIds}::uuid[])`)
    .execute();
}

/** A confirmed import whose every cycle has started. */
export async function markImportStarted(db: Kysely<Database>, importId: string): Promise<void> {
  await db.updateTable('roster_imports').set({ status: 'started' }).where('id', '=', importId).where('status', '=', 'confirmed').execute();
}
