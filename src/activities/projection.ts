/**
 * The projection: each transition of a cycle, written to Postgres by the activity that
 * performs it, so the dashboard reads Postgres and never lists workflows from Temporal.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { TransitionRecord } from './types.ts';

export function createProjectionActivities(db: Kysely<Database>) {
  return {
    /** Idempotent by (cycle, eventKey): a retry neither duplicates the timeline nor moves state back. */
    async recordTransition(record: TransitionRecord): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('cycle_events')
          .values({
            cycle_id: record.cycleId,
            event_key: record.eventKey,
            occurred_at: record.occurredAt,
            step: record.step,
            kind: record.kind,
            detail: JSON.stringify(record.detail ?? {}),
          })
          .onConflict((oc) => oc.columns(['cycle_id', 'event_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) return;
        const s = record.snapshot;
        await trx
          .updateTable('cycles')
          .set({
            status: s.status,
            current_step: s.currentStep,
            due_at: s.dueAt,
            owed_by: s.owedBy,
            stalled_since: s.stalledSince,
            ladder_rung: s.ladderRung,
            updated_at: new Date(),
          })
          .where('id', '=', record.cycleId)
          .execute();
      });
    },
  };
}
