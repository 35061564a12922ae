/**
 * The counts Tandem's Prometheus metrics are read from at scrape time. One file of its own
 * because a scrape counts across many aggregates (cycles, timelines, outbox, pairs) and the
 * counts only make sense together; each is one grouped count, read-only.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export async function countCyclesByStepAndStatus(db: Kysely<Database>): Promise<{ step: string | null; status: string; n: number }[]> {
  const rows = await db
    .selectFrom('cycles')
    .select(['current_step', 'status', sql<string>`count(*)`.as('n')])
    .groupBy(['current_step', 'status'])
    .execute();
  return rows.map((r) => ({ step: r.current_step, status: r.status, n: Number(r.n) }));
}

/** Open (running or stalled) cycles with a stalled step, by step. */
export async function countStalledCyclesByStep(db: Kysely<Database>): Promise<{ step: string | null; n: number }[]> {
  const rows = await db
    .selectFrom('cycles')
    .select(['current_step', sql<string>`count(*)`.as('n')])
    .where('stalled_since', 'is not', null)
    .where('status', 'in', ['running', 'stalled'])
    .groupBy('current_step')
    .execute();
  return rows.map((r) => ({ step: r.current_step, n: Number(r.n) }));
}

export async function countUnsentOutboxByStatus(db: Kysely<Database>): Promise<{ status: string; n: number }[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', sql<string>`count(*)`.as('n')])
    .where('status', '!=', 'sent')
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

/** Seconds since the oldest pending or sending message was enqueued; 0 when none waits. */
export async function oldestWaitingOutboxAgeSeconds(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select(sql<number | null>`extract(epoch from now() - min(created_at))`.as('age'))
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  return Number(row?.age ?? 0);
}

export async function countSentByKind(db: Kysely<Database>): Promise<{ kind: string; n: number }[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['kind', sql<string>`count(*)`.as('n')])
    .where('status', '=', 'sent')
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n) }));
}

/** Escalation ladder rungs fired, by rung. */
export async function countLadderRungs(db: Kysely<Database>): Promise<{ rung: string | null; n: number }[]> {
  const rows = await db
    .selectFrom('cycle_events')
    .select([sql<string>`detail->>'rung'`.as('rung'), sql<string>`count(*)`.as('n')])
    .where('kind', '=', 'ladder-rung')
    .groupBy(sql`detail->>'rung'`)
    .execute();
  return rows.map((r) => ({ rung: r.rung, n: Number(r.n) }));
}

export async function countPairsByStatus(db: Kysely<Database>): Promise<{ status: string; n: number }[]> {
  const rows = await db
    .selectFrom('pairs')
    .select(['status', sql<string>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}
