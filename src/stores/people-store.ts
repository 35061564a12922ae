/**
 * People, their pairs and their time away: the rows of who takes part, as Postgres holds them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

// ── undeliverable addresses (outbox) ────────────────────────────────────────

export async function findUndeliverableEmail(db: Kysely<Database>, personId: string): Promise<{ undeliverableEmail: string | null; undeliverableReason: string | null } | undefined> {
  const row = await db.selectFrom('people').select(['undeliverable_email', 'undeliverable_reason']).where('id', '=', personId).executeTakeFirst();
  return row && { undeliverableEmail: row.undeliverable_email, undeliverableReason: row.undeliverable_reason };
}

/** Marks the person's address undeliverable, if it is still their address. */
export async function markEmailUndeliverable(db: Kysely<Database>, personId: string, address: string, reason: string): Promise<void> {
  await db
    .updateTable('people')
    .set({ undeliverable_email: address, undeliverable_reason: reason, undeliverable_since: new Date() })
    .where('id', '=', personId)
    .where('email', '=', address)
    .execute();
}

// ── pairs ────────────────────────────────────────────────────────────────────

/** Active pairs a person is in, as mentor or mentee. */
export async function countActivePairs(db: Kysely<Database>, personId: string): Promise<number> {
  const row = await db
    .selectFrom('pairs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('mentor_id', '=', personId), eb('mentee_id', '=', personId)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ── people ───────────────────────────────────────────────────────────────────

/** The person's time zone, or undefined when there is no such person. */
export async function findPersonTimeZone(db: Kysely<Database>, personId: string): Promise<string | undefined> {
  const person = await db.selectFrom('people').select('time_zone').where('id', '=', personId).executeTakeFirst();
  return person?.time_zone;
}
