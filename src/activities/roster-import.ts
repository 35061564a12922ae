/**
 * The roster import workflow's one activity: start every pending cycle of an import, in
 * batches, recording each outcome in roster_import_starts (the page's progress) and
 * heartbeating. A failed start (Temporal refusing) fails the activity after the batch is
 * recorded, so Temporal retries it; started cycles are never started twice.
 */
import { Context } from '@temporalio/activity';
import type { RosterStartStatus } from '../../db/schema.ts';
import { cycleToStart } from '../cycles/cycle-input.ts';
import { DEFAULT_START_CONCURRENCY, startCycles } from '../cycles/start-cycles.ts';
import { importCyclesToStart, markImportStarts, markImportStarted } from '../stores/roster-import-store.ts';
import type { NotificationDeps } from './notifications.ts';

const BATCH = 500;

export function createRosterImportActivities(deps: Pick<NotificationDeps, 'db' | 'policy'>) {
  return {
    async startImportCycles(input: { importId: string; taskQueue: string; concurrency?: number }): Promise<{ started: number; alreadyRunning: number }> {
      const { client } = Context.current();
      const totals = { started: 0, alreadyRunning: 0 };
      for (;;) {
        const rows = await importCyclesToStart(deps.db, input.importId, BATCH);
        if (rows.length === 0) break;
        const report = await startCycles(
          client,
          input.taskQueue,
          rows.map((c) => cycleToStart(c, deps.policy)),
          { concurrency: input.concurrency ?? DEFAULT_START_CONCURRENCY, onProgress: (done) => Context.current().heartbeat({ done }) },
        );
        const byStatus = new Map<RosterStartStatus, string[]>();
        report.statuses.forEach((status, i) => {
          if (status === 'not-attempted') return;
          byStatus.set(status, [...(byStatus.get(status) ?? []), rows[i]!.cycleId]);
        });
        for (const [status, ids] of byStatus) await markImportStarts(deps.db, input.importId, status, ids, report.error);
        totals.started += report.started;
        totals.alreadyRunning += report.alreadyRunning;
        if (report.error) throw new Error(`starting cycles failed: ${report.error}`);
      }
      await markImportStarted(deps.db, input.importId);
      return totals;
    },
  };
}
