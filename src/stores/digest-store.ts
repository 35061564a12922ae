/**
 * Digest periods and their held items (digest_periods, digest_items), and the reads a
 * digest's composer makes of its reader. When to hold, close and send is src/mail/digest.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, DigestPeriodsTable, ReminderDelivery, StaffRole } from '../../db/schema.ts';

export interface DigestRecipient {
  /** "participant" (people.id) or "staff" (staff.id): who `compose` looks the recipient up as. */
  kind: string;
  id: string;
}

export interface DigestPeriod {
  id: string;
  recipient: DigestRecipient;
  frequency: DigestPeriodsTable['frequency'];
  startsAt: Date;
  endsAt: Date;
}

/** A message held for a digest: ids, kind and non-confidential facts, as a notification carries them. */
export interface DigestItem {
  /** The held message's business key (its outbox key): holding it twice keeps one. */
  itemKey: string;
  kind: string;
  cycleId: string | null;
  step: string | null;
  facts: Record<string, string | number | null>;
}

export interface HeldDigestItem extends DigestItem {
  heldAt: Date;
}

type PeriodRow = { id: string; recipient_kind: string; recipient_id: string; frequency: DigestPeriodsTable['frequency']; starts_at: Date; ends_at: Date };

const PERIOD_COLUMNS = ['id', 'recipient_kind', 'recipient_id', 'frequency', 'starts_at', 'ends_at'] as const;

function periodOf(row: PeriodRow): DigestPeriod {
  return { id: row.id, recipient: { kind: row.recipient_kind, id: row.recipient_id }, frequency: row.frequency, startsAt: row.starts_at, endsAt: row.ends_at };
}

/** Queues one recipient's holds behind each other until the transaction ends. */
export async function lockDigestRecipient(trx: Kysely<Database>, recipient: DigestRecipient): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`digest:${recipient.kind}:${recipient.id}`}))`.execute(trx);
}

/** The period that already holds this item, if any. */
export async function findPeriodHoldingItem(db: Kysely<Database>, itemKey: string): Promise<DigestPeriod | undefined> {
  const row = await db
    .selectFrom('digest_items')
    .innerJoin('digest_periods', 'digest_periods.id', 'digest_items.period_id')
    .select(['digest_periods.id', 'recipient_kind', 'recipient_id', 'frequency', 'starts_at', 'ends_at'])
    .where('item_key', '=', itemKey)
    .executeTakeFirst();
  return row && periodOf(row);
}

/** The recipient's open period at `now`, locked for the transaction. */
export async function lockOpenDigestPeriod(
  trx: Kysely<Database>,
  recipient: DigestRecipient,
  frequency: DigestPeriodsTable['frequency'],
  now: Date,
): Promise<DigestPeriod | undefined> {
  const row = await trx
    .selectFrom('digest_periods')
    .select(PERIOD_COLUMNS)
    .where('recipient_kind', '=', recipient.kind)
    .where('recipient_id', '=', recipient.id)
    .where('frequency', '=', frequency)
    .where('closed_at', 'is', null)
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
  return row && periodOf(row);
}

/** Opens the period (or returns the one with that key). */
export async function openDigestPeriod(
  db: Kysely<Database>,
  period: { recipient: DigestRecipient; frequency: DigestPeriodsTable['frequency']; startsAt: Date; endsAt: Date },
): Promise<DigestPeriod> {
  const { recipient, frequency } = period;
  const row = await db
    .insertInto('digest_periods')
    .values({ recipient_kind: recipient.kind, recipient_id: recipient.id, frequency, starts_at: period.startsAt, ends_at: period.endsAt })
    .onConflict((oc) => oc.constraint('digest_periods_key').doUpdateSet({ frequency }))
    .returning(PERIOD_COLUMNS)
    .executeTakeFirstOrThrow();
  return periodOf(row);
}

export async function insertDigestItem(db: Kysely<Database>, periodId: string, item: DigestItem): Promise<void> {
  await db
    .insertInto('digest_items')
    .values({ period_id: periodId, item_key: item.itemKey, kind: item.kind, cycle_id: item.cycleId, step: item.step, facts: JSON.stringify(item.facts) })
    .execute();
}

/** The period, locked for the transaction, with when it was closed. */
export async function lockDigestPeriod(trx: Kysely<Database>, periodId: string): Promise<{ period: DigestPeriod; closedAt: Date | null }> {
  const row = await trx
    .selectFrom('digest_periods')
    .select([...PERIOD_COLUMNS, 'closed_at'])
    .where('id', '=', periodId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { period: periodOf(row), closedAt: row.closed_at };
}

export async function closeDigestPeriod(db: Kysely<Database>, periodId: string, closedAt: Date): Promise<void> {
  await db.updateTable('digest_periods').set({ closed_at: closedAt }).where('id', '=', periodId).execute();
}

/** The period's items in the order they were held. */
export async function listHeldDigestItems(db: Kysely<Database>, periodId: string): Promise<HeldDigestItem[]> {
  const rows = await db.selectFrom('digest_items').selectAll().where('period_id', '=', periodId).orderBy('held_at').orderBy('id').execute();
  return rows.map((r) => ({
    itemKey: r.item_key,
    kind: r.kind,
    cycleId: r.cycle_id,
    step: r.step,
    facts: r.facts,
    heldAt: new Date(r.held_at as Date),
  }));
}

export async function setDigestOutbox(db: Kysely<Database>, periodId: string, outboxId: string): Promise<void> {
  await db.updateTable('digest_periods').set({ outbox_id: outboxId }).where('id', '=', periodId).execute();
}

// ── the composers' reads of their reader ────────────────────────────────────

export async function findStaffDigestReader(
  db: Kysely<Database>,
  staffId: string,
): Promise<{ id: string; email: string; name: string; roles: StaffRole[] } | undefined> {
  return db.selectFrom('staff').select(['id', 'email', 'name', 'roles']).where('id', '=', staffId).executeTakeFirst();
}

export async function findParticipantDigestReader(
  db: Kysely<Database>,
  personId: string,
): Promise<{ id: string; email: string; fullName: string; preferredName: string | null } | undefined> {
  const row = await db.selectFrom('people').select(['id', 'email', 'full_name', 'preferred_name']).where('id', '=', personId).executeTakeFirst();
  return row && { id: row.id, email: row.email, fullName: row.full_name, preferredName: row.preferred_name };
}

/** How the person chose to receive reminders, if they chose. */
export async function findReminderDelivery(db: Kysely<Database>, personId: string): Promise<ReminderDelivery | undefined> {
  const setting = await db.selectFrom('person_settings').select('reminder_delivery').where('person_id', '=', personId).executeTakeFirst();
  return setting?.reminder_delivery;
}

/** Whom the period is for: "participant" or "staff". */
export async function findDigestRecipientKind(db: Kysely<Database>, periodId: string): Promise<string> {
  const period = await db.selectFrom('digest_periods').select('recipient_kind').where('id', '=', periodId).executeTakeFirstOrThrow();
  return period.recipient_kind;
}
