/**
 * The roster import workflow's one activity: start every pending cycle of an import, in
 * batches, recording each outcome in roster_import_starts (the page's progress) and
 * heartbeating. A failed start (Temporal refusing) fails the activity after the batch is
 * recorded, so Temporal retries it; started cycles are never started twice.
 */
import { Context } from '@temporalio/activity';
import { sql } from 'kysely';
import type { RosterStartStatus } from '../../db/schema.ts';
import { joinedAtInput } from '../enrollment/joined-at.ts';
import { DEFAULT_START_CONCURRENCY, startCycles } from '../enrollment/start-cycles.ts';
import type { NotificationDeps } from './notifications.ts';

const BATCH = 500;

export function createRosterImportActivities(deps: Pick<NotificationDeps, 'db' | 'policy'>) {
  return {
    async startImportCycles(input: { importId: string; taskQueue: string; concurrency?: number }): Promise<{ started: number; alreadyRunning: number }> {
      const { client } = Context.current();
      const totals = { started: 0, alreadyRunning: 0 };
      for (;;) {
        const rows = await deps.db
          .selectFrom('roster_import_starts as s')
          .innerJoin('cycles as c', 'c.id', 's.cycle_id')
          .innerJoin('pairs as p', 'p.id', 'c.pair_id')
          .innerJoin('people as mentee', 'mentee.id', 'p.mentee_id')
          .select(['c.id', 'c.pair_id', 'c.academic_year', 'c.workflow_id', 'c.enrolled_at', 'c.joined_at', 'mentee.time_zone'])
          .where('s.import_id', '=', input.importId)
          .where('s.status', 'in', ['pending', 'failed'])
          .orderBy('c.id')
          .limit(BATCH)
          .execute();
        if (rows.length === 0) break;
        const report = await startCycles(
          client,
          input.taskQueue,
          rows.map((c) => ({
            workflowId: c.workflow_id,
            input: { cycleId: c.id, pairId: c.pair_id, academicYear: c.academic_year, enrolledAt: c.enrolled_at.toISOString(), ...joinedAtInput(c), timeZone: c.time_zone, policy: deps.policy },
          })),
          { concurrency: input.concurrency ?? DEFAULT_START_CONCURRENCY, onProgress: (done) => Context.current().heartbeat({ done }) },
        );
        const byStatus = new Map<RosterStartStatus, string[]>();
        report.statuses.forEach((status, i) => {
          if (status === 'not-attempted') return;
          byStatus.set(status, [...(byStatus.get(status) ?? []), rows[i]!.id]);
        });
        for (const [status, ids] of byStatus) {
          await deps.db
            .updateTable('roster_import_starts')
            .set({ status, reason: status === 'failed' ? report.error : null })
            .where('import_id', '=', input.importId)
            .where('cycle_id', '=', sql<string>`any(${ids}::uuid[])`)
            .execute();
        }
        totals.started += report.started;
        totals.alreadyRunning += report.alreadyRunning;
        if (report.error) throw new Error(`starting cycles failed: ${report.error}`);
      }
      await deps.db.updateTable('roster_imports').set({ status: 'started' }).where('id', '=', input.importId).where('status', '=', 'confirmed').execute();
      return totals;
    },
  };
}
