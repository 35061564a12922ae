/**
 * The fall rollover's side effects: carry active pairs into the new academic year (start a
 * cycle for each pair that has no running workflow — a continuing cycle carries itself over by
 * continue-as-new), and tell the coordinators that enrollment is open, once per year, through
 * the outbox.
 */
import { Context } from '@temporalio/activity';
import { forEachConcurrently, startCycles, DEFAULT_START_CONCURRENCY } from '../cycles/start-cycles.ts';
import { cycleToStart, newCycleRow } from '../cycles/cycle-input.ts';
import { isCycleRunning } from '../cycles/cycle-updates.ts';
import { activePairsWithLatestCycle, insertCycles, startableCyclesOfYear } from '../stores/cycle-store.ts';
import { academicYearOf, academicYearStartDate, formatAcademicYear } from '../domain/academic-year.ts';
import { renderEnrollmentOpen } from '../mail/enrollment-open.ts';
import { coordinatorRecipients, holdCoordinatorNotice } from './coordinator-recipients.ts';
import { ENROLLMENT_OPEN_KIND } from '../mail/digest-coordinator.ts';
import { deliver, summarize, type DeliveryResult, type DeliverySummary } from '../mail/outbox.ts';
import { heartbeatLedger } from './accepted-ledger.ts';
import { senderOf, type NotificationDeps } from './notifications.ts';

export interface CarryOverCounts {
  activePairs: number;
  /** Their latest cycle's workflow is running: it continues into the year by itself. */
  continuing: number;
  started: number;
  alreadyRunning: number;
  failed: number;
}

export function createRolloverActivities(deps: NotificationDeps) {
  const department = deps.policy.department;
  return {
    async currentAcademicYear(): Promise<number> {
      return academicYearOf(deps.policy, new Date());
    },

    async carryPairsIntoYear(input: { academicYear: number; taskQueue: string }): Promise<CarryOverCounts> {
      const { client } = Context.current();
      const pairs = await activePairsWithLatestCycle(deps.db, department.id);

      const needsCycle: typeof pairs = [];
      let described = 0;
      await forEachConcurrently(pairs, DEFAULT_START_CONCURRENCY, async (pair) => {
        if (!(pair.workflowId && (await isCycleRunning(client, pair.workflowId)))) needsCycle.push(pair);
        Context.current().heartbeat({ described: ++described });
      });

      const startsAt = new Date(Math.max(Date.now(), academicYearStartDate(deps.policy, input.academicYear).getTime()));
      await insertCycles(
        deps.db,
        needsCycle.map((p) => newCycleRow(p.pairId, input.academicYear, startsAt)),
      );
      const cycles = await startableCyclesOfYear(
        deps.db,
        input.academicYear,
        needsCycle.map((p) => p.pairId),
      );
      const report = await startCycles(
        client,
        input.taskQueue,
        cycles.map((c) => cycleToStart(c, deps.policy)),
        { onProgress: (done) => Context.current().heartbeat({ described, started: done }) },
      );
      // A failed start is retried with the whole activity; already-started cycles are skipped then.
      if (report.error) throw new Error(`starting cycles failed: ${report.error}`);
      return {
        activePairs: pairs.length,
        continuing: pairs.length - needsCycle.length,
        started: report.started,
        alreadyRunning: report.alreadyRunning,
        failed: report.failed,
      };
    },

    async notifyEnrollmentOpen(input: { academicYear: number; continuing: number; started: number }): Promise<DeliverySummary> {
      // The staff coordinators (the policy's addresses only when there are none).
      const { immediate, digest } = await coordinatorRecipients(deps.db, deps.policy);
      // One notice per coordinator per year: the department-level key is the outbox's and the digest's.
      const keyOf = (email: string) => ['department', department.id, input.academicYear, 'enrollment-open', email].join('/');
      for (const coordinator of digest) {
        await holdCoordinatorNotice(deps, coordinator.staffId, {
          itemKey: keyOf(coordinator.email),
          kind: ENROLLMENT_OPEN_KIND,
          cycleId: null,
          step: null,
          facts: { academicYear: input.academicYear, continuing: input.continuing, started: input.started },
        });
      }
      const outbox = { ...senderOf(deps), acceptedLedger: heartbeatLedger() };
      const results: DeliveryResult[] = [];
      for (const coordinator of immediate) {
        // A department-level notice, not a cycle's: it has its own key and template.
        const entry = {
          key: keyOf(coordinator.email),
          cycleId: null,
          step: null,
          kind: ENROLLMENT_OPEN_KIND,
          sequence: input.academicYear,
          recipient: coordinator,
        };
        results.push(await deliver(outbox, entry, () => renderEnrollmentOpen(department, coordinator.name, formatAcademicYear(input.academicYear), input)));
      }
      return summarize(results);
    },
  };
}
