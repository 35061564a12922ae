/**
 * The fall rollover's side effects: carry active pairs into the new academic year (start a
 * cycle for each pair that has no running workflow — a continuing cycle carries itself over by
 * continue-as-new), and tell the coordinators that enrollment is open, once per year, through
 * the outbox.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { academicYearStartDate } from '../domain/academic-year.ts';
import { forEachConcurrently, startCycles, DEFAULT_START_CONCURRENCY } from '../cycles/start-cycles.ts';
import { cycleToStart, newCycleRow } from '../cycles/cycle-input.ts';
import { isCycleRunning } from '../cycles/cycle-updates.ts';
import { activePairsWithLatestCycle, insertCycles, startableCyclesOfYear } from '../stores/cycle-store.ts';
import { academicYearOf, formatAcademicYear } from '../domain/academic-year.ts';
import { renderEnrollmentOpen } from '../mail/enrollment-open.ts';
import { coordinatorRecipients, holdCoordinatorNotice } from './coordinator-recipients.ts';
import { ENROLLMENT_OPEN_KIND } from '../mail/digest-coordinator.ts';
import type { NotificationDeps } from './notifications.ts';

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
  const domain = deps.mailFrom.match(/@([^>\s]+)>?$/)?.[1] ?? 'tandem.localhost';
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
      await insertCycles(deps.db, needsCycle.map((p) => newCycleRow(p.pairId, input.academicYear, startsAt)));
      const cycles = await startableCyclesOfYear(deps.db, input.academicYear, needsCycle.map((p) => p.pairId));
      const report = await startCycles(
        client,
        input.taskQueue,
        cycles.map((c) => cycleToStart(c, deps.policy)),
        { onProgress: (done) => Context.current().heartbeat({ described, started: done }) },
      );
      // A failed start is retried with the whole activity; already-started cycles are skipped then.
      if (report.error) throw new Error(`starting cycles failed: ${report.error}`);
      return { activePairs: pairs.length, continuing: pairs.length - needsCycle.length, started: report.started, alreadyRunning: report.alreadyRunning, failed: report.failed };
    },

    async notifyEnrollmentOpen(input: { academicYear: number; continuing: number; started: number }): Promise<{ sent: number; alreadySent: number }> {
      let sent = 0;
      let alreadySent = 0;
      // The staff coordinators (the policy's addresses only when there are none).
      const { immediate, digest } = await coordinatorRecipients(deps.db, deps.policy);
      for (const coordinator of digest) {
        const itemKey = ['department', department.id, input.academicYear, 'enrollment-open', coordinator.email].join('/');
        await holdCoordinatorNotice(deps, coordinator.staffId, { itemKey, kind: ENROLLMENT_OPEN_KIND, cycleId: null, step: null, facts: { academicYear: input.academicYear, continuing: input.continuing, started: input.started } });
      }
      for (const coordinator of immediate) {
        const key = ['department', department.id, input.academicYear, 'enrollment-open', coordinator.email].join('/');
        const message = renderEnrollmentOpen(department, coordinator.name, formatAcademicYear(input.academicYear), input);
        await deps.db
          .insertInto('outbox')
          .values({ idempotency_key: key, cycle_id: null, step: null, kind: 'enrollment-open', sequence: input.academicYear, recipient_person_id: null, to_address: coordinator.email, subject: message.subject, message_id: `<${randomUUID()}@${domain}>` })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .execute();
        const row = await deps.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
        if (row.status === 'sent') {
          alreadySent++;
          continue;
        }
        await deps.mailer.sendMail({
          from: deps.mailFrom,
          to: { name: coordinator.name, address: coordinator.email },
          subject: row.subject,
          messageId: row.message_id,
          text: message.text,
          html: message.html,
          // A department-level notice, not a cycle's: it has its own outbox key and template.
          headers: { 'X-Tandem-Kind': 'enrollment-open' },
        });
        await deps.db.updateTable('outbox').set({ status: 'sent', sent_at: new Date(), attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
        sent++;
      }
      return { sent, alreadySent };
    },
  };
}
