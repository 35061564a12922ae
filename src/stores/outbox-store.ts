/**
 * The outbox table's statements: inserting a message's row, claiming it under a lease,
 * marking it sent, deferred or failed, and the relay's shared send slots. The rules of when
 * each applies (claim/lease, retries) live in src/mail/outbox.ts; this file only talks to Postgres.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, OutboxRow } from '../../db/schema.ts';

/** What the outbox logic reads of its row. */
export interface OutboxMessage {
  id: string;
  status: OutboxRow['status'];
  toAddress: string;
  messageId: string;
  subject: string;
  lastError: string | null;
}

function messageOf(row: Pick<OutboxRow, 'id' | 'status' | 'to_address' | 'message_id' | 'subject' | 'last_error'>): OutboxMessage {
  return { id: row.id, status: row.status, toAddress: row.to_address, messageId: row.message_id, subject: row.subject, lastError: row.last_error };
}

export interface NewOutboxRow {
  key: string;
  cycleId: string | null;
  step: string | null;
  kind: string;
  sequence: number;
  recipientPersonId: string | null;
  address: string;
  subject: string;
  messageId: string;
}

/**
 * Inserts never-seen keys already claimed (sending, leased, attempt 1), in one statement,
 * unless a recipient is marked undeliverable at that address. Returns the inserted rows by
 * key: a key that exists already, or whose address is refused, is absent. Keys must differ.
 */
export async function insertOutboxClaimed(db: Kysely<Database>, rows: readonly NewOutboxRow[], leaseSeconds: number): Promise<Map<string, OutboxMessage>> {
  // In key order, so two statements that share a key (a retry racing its first attempt) wait rather than deadlock.
  const sorted = [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const column = <T>(pick: (row: NewOutboxRow) => T) => sorted.map(pick);
  const result = await sql<OutboxRow>`
    insert into outbox (idempotency_key, cycle_id, step, kind, sequence, recipient_person_id, to_address, subject, message_id, status, lease_until, attempts)
    select r.key, r.cycle_id, r.step, r.kind, r.sequence, r.person_id, r.address, r.subject, r.message_id, 'sending', now() + make_interval(secs => ${leaseSeconds}), 1
    from unnest(${column((r) => r.key)}::text[], ${column((r) => r.cycleId)}::uuid[], ${column((r) => r.step)}::text[], ${column((r) => r.kind)}::text[],
                ${column((r) => r.sequence)}::integer[], ${column((r) => r.recipientPersonId)}::uuid[], ${column((r) => r.address)}::text[],
                ${column((r) => r.subject)}::text[], ${column((r) => r.messageId)}::text[])
         as r(key, cycle_id, step, kind, sequence, person_id, address, subject, message_id)
    where not exists (select 1 from people where id = r.person_id and undeliverable_email = r.address)
    on conflict (idempotency_key) do nothing
    returning *`.execute(db);
  return new Map(result.rows.map((row) => [row.idempotency_key, messageOf(row)]));
}

/** Inserts the key as pending; a key that exists already is left as it is. */
export async function insertOutboxPending(db: Kysely<Database>, row: NewOutboxRow): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      idempotency_key: row.key,
      cycle_id: row.cycleId,
      step: row.step,
      kind: row.kind,
      sequence: row.sequence,
      recipient_person_id: row.recipientPersonId,
      to_address: row.address,
      subject: row.subject,
      message_id: row.messageId,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

/** Fails the key's row if it is still pending (its address refused mail earlier); its id, or undefined. */
export async function failPendingOutbox(db: Kysely<Database>, key: string, reason: string): Promise<string | undefined> {
  const row = await db
    .updateTable('outbox')
    .set({ status: 'failed', last_error: reason })
    .where('idempotency_key', '=', key)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Claims the key's row: only a pending one, or one whose previous claimant's lease has lapsed. */
export async function claimOutbox(db: Kysely<Database>, key: string, address: string, leaseSeconds: number): Promise<OutboxMessage | undefined> {
  const claimed = await db
    .updateTable('outbox')
    .set((eb) => ({
      status: 'sending',
      lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
      attempts: eb('attempts', '+', 1),
      to_address: address,
    }))
    .where('idempotency_key', '=', key)
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', sql<Date>`now()`)])]))
    .returningAll()
    .executeTakeFirst();
  return claimed && messageOf(claimed);
}

export async function findOutboxByKey(db: Kysely<Database>, key: string): Promise<OutboxMessage> {
  return messageOf(await db.selectFrom('outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow());
}

/** Moves a row's lease on, while it is still being sent. */
export async function renewOutboxLease(db: Kysely<Database>, id: string, leaseSeconds: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Back to pending: the relay deferred it, the activity's retry sends it. */
export async function deferOutbox(db: Kysely<Database>, id: string, reason: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'pending', lease_until: null, last_error: reason }).where('id', '=', id).execute();
}

export async function failOutbox(db: Kysely<Database>, id: string, reason: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'failed', lease_until: null, last_error: reason }).where('id', '=', id).execute();
}

/** Marks many rows sent in one statement, each with the subject it went out with. */
export async function markOutboxSent(db: Kysely<Database>, rows: { id: string; subject: string }[]): Promise<void> {
  await sql`
    update outbox set status = 'sent', sent_at = now(), lease_until = null, last_error = null, subject = marks.subject
    from unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.subject)}::text[]) as marks(id, subject)
    where outbox.id = marks.id`.execute(db);
}

/**
 * Takes the relay's next `count` free send slots, consecutive (one row per relay; each slot moves
 * it on by `spacingSeconds`), and returns how many milliseconds to wait until the first.
 */
export async function takeRelaySendSlots(db: Kysely<Database>, relay: string, spacingSeconds: number, count: number): Promise<number> {
  const span = spacingSeconds * count;
  const { rows } = await sql<{ wait_ms: number }>`
    insert into relay_send_slots as s (relay, next_at) values (${relay}, now() + make_interval(secs => ${span}))
    on conflict (relay) do update set next_at = greatest(s.next_at, now()) + make_interval(secs => ${span})
    returning (extract(epoch from (next_at - now())) - ${span}) * 1000 as wait_ms`.execute(db);
  return Number(rows[0]?.wait_ms ?? 0);
}
