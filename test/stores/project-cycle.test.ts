/**
 * The projection's write, against real Postgres: one statement writes the cycle's state, its
 * new timeline events and, when an event says so, the pair's end; a retry adds nothing; a
 * cycle that does not exist is an error that writes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { projectCycle, type CycleProjection, type TimelineEvent } from '../../src/stores/cycle-store.ts';
import { createPair } from '../mail/support/mail-fixture.ts';
import { testPolicy } from '../support/policy.ts';
import { loggingStatements } from '../support/statement-log.ts';

describe('projectCycle', () => {
  let db: Kysely<Database>;
  beforeAll(() => {
    db = createDb(inject('databaseUrl'));
  });
  afterAll(() => db.destroy());

  const state: CycleProjection = {
    status: 'stalled',
    currentStep: 'check-in-1',
    dueAt: '2026-12-10T17:00:00.000Z',
    owedBy: 'mentor',
    stalledSince: '2026-12-02T09:00:00.000Z',
    ladderRung: 2,
  };

  it('writes the state and the events in one statement, and a retry lands once', async () => {
    const pair = await createPair(db, testPolicy());
    const log = loggingStatements(db);
    const events: TimelineEvent[] = [
      { eventKey: 'check-in-1/opened', occurredAt: '2026-11-20T09:00:00.000Z', step: 'check-in-1', kind: 'step-opened' },
      {
        eventKey: 'check-in-1/rung-2',
        occurredAt: '2026-12-02T09:00:00.000Z',
        step: 'check-in-1',
        kind: 'ladder-rung',
        detail: { rung: 'nudge-both', late: true },
      },
    ];
    await projectCycle(log.db, pair.cycleId, state, events);
    expect(log.nodes).toHaveLength(1);
    await projectCycle(db, pair.cycleId, state, events);

    const cycle = await db.selectFrom('cycles').selectAll().where('id', '=', pair.cycleId).executeTakeFirstOrThrow();
    expect(cycle).toMatchObject({ status: 'stalled', current_step: 'check-in-1', owed_by: 'mentor', ladder_rung: 2 });
    expect(cycle.due_at?.toISOString()).toBe(state.dueAt);
    expect(cycle.stalled_since?.toISOString()).toBe(state.stalledSince);
    const stored = await db
      .selectFrom('cycle_events')
      .select(['event_key', 'kind', 'step', 'detail', 'occurred_at'])
      .where('cycle_id', '=', pair.cycleId)
      .orderBy('id')
      .execute();
    expect(stored.map((e) => [e.event_key, e.kind, e.step, e.detail, e.occurred_at.toISOString()])).toEqual([
      ['check-in-1/opened', 'step-opened', 'check-in-1', {}, '2026-11-20T09:00:00.000Z'],
      ['check-in-1/rung-2', 'ladder-rung', 'check-in-1', { rung: 'nudge-both', late: true }, '2026-12-02T09:00:00.000Z'],
    ]);
    const pairRow = await db.selectFrom('pairs').select('status').where('id', '=', pair.pairId).executeTakeFirstOrThrow();
    expect(pairRow.status).toBe('active');
  });

  it("ends the pair with the event's reason and instant, and clears what the state no longer holds", async () => {
    const pair = await createPair(db, testPolicy());
    await projectCycle(db, pair.cycleId, state, []);
    await projectCycle(db, pair.cycleId, { status: 'ended', currentStep: null, dueAt: null, owedBy: null, stalledSince: null, ladderRung: null }, [
      { eventKey: 'pair-ended', occurredAt: '2027-01-15T12:00:00.000Z', step: null, kind: 'pair-ended', detail: { reason: 'mentee-left' } },
    ]);
    const cycle = await db.selectFrom('cycles').selectAll().where('id', '=', pair.cycleId).executeTakeFirstOrThrow();
    expect(cycle).toMatchObject({ status: 'ended', current_step: null, due_at: null, owed_by: null, stalled_since: null, ladder_rung: null });
    const pairRow = await db.selectFrom('pairs').select(['status', 'ended_reason', 'ended_at']).where('id', '=', pair.pairId).executeTakeFirstOrThrow();
    expect(pairRow.status).toBe('ended');
    expect(pairRow.ended_reason).toBe('mentee-left');
    expect(pairRow.ended_at?.toISOString()).toBe('2027-01-15T12:00:00.000Z');
  });

  it('refuses a cycle that does not exist and writes none of its events', async () => {
    const missing = randomUUID();
    await expect(
      projectCycle(db, missing, state, [{ eventKey: 'x', occurredAt: '2026-12-02T09:00:00.000Z', step: null, kind: 'step-opened' }]),
    ).rejects.toThrow(/not found|foreign key/);
    const events = await db.selectFrom('cycle_events').select('id').where('cycle_id', '=', missing).execute();
    expect(events).toHaveLength(0);
  });
});
