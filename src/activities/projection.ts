/**
 * The projection: each transition of a cycle, written to Postgres by the activity that
 * performs it, so the dashboard reads Postgres and never lists workflows from Temporal.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { CycleSnapshot } from './types.ts';

export interface TimelineEvent {
  /** Unique within the cycle: a retried write lands once. */
  eventKey: string;
  occurredAt: string;
  step: string | null;
  kind: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** Writes the cycle's new state and its timeline events in one transaction; safe to retry. */
export async function projectCycle(db: Kysely<Database>, cycleId: string, snapshot: CycleSnapshot, events: TimelineEvent[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (events.length > 0) {
      await trx
        .insertInto('cycle_events')
        .values(
          events.map((e) => ({
            cycle_id: cycleId,
            event_key: e.eventKey,
            occurred_at: e.occurredAt,
            step: e.step,
            kind: e.kind,
            detail: JSON.stringify(e.detail ?? {}),
          })),
        )
        .onConflict((oc) => oc.columns(['cycle_id', 'event_key']).doNothing())
        .execute();
    }
    const cycle = await trx
      .updateTable('cycles')
      .set({
        status: snapshot.status,
        current_step: snapshot.currentStep,
        due_at: snapshot.dueAt,
        owed_by: snapshot.owedBy,
        stalled_since: snapshot.stalledSince,
        ladder_rung: snapshot.ladderRung,
        updated_at: new Date(),
      })
      .where('id', '=', cycleId)
      .returning('pair_id')
      .executeTakeFirstOrThrow(() => new Error(`cycle ${cycleId} not found`));
    const ended = events.find((e) => e.kind === 'pair-ended');
    if (ended) {
      await trx
        .updateTable('pairs')
        .set({ status: 'ended', ended_reason: String(ended.detail?.reason ?? 'other'), ended_at: ended.occurredAt })
        .where('id', '=', cycle.pair_id)
        .execute();
    }
  });
}
