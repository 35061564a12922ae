import { sql, type Kysely } from 'kysely';

/**
 * Delivery that survives failures: the outbox gains a `sending` state with a lease (so two
 * attempts never send the same row at once), people gain an "address undeliverable" mark,
 * cycles show the coordinator a delivery problem, and each check-in keeps its calendar
 * identity (UID, SEQUENCE, last revision sent) so invites update the same meeting.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropConstraint('outbox_status_check').execute();
  await db.schema
    .alterTable('outbox')
    .addCheckConstraint('outbox_status_check', sql`status in ('pending', 'sending', 'sent', 'failed')`)
    .execute();
  await db.schema.alterTable('outbox').addColumn('lease_until', 'timestamptz').execute();

  await db.schema
    .alterTable('people')
    .addColumn('undeliverable_email', 'text')
    .addColumn('undeliverable_reason', 'text')
    .addColumn('undeliverable_since', 'timestamptz')
    .execute();

  await db.schema.alterTable('cycles').addColumn('delivery_problem', 'text').addColumn('delivery_problem_at', 'timestamptz').execute();

  await db.schema
    .createTable('check_in_invites')
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('cycles.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('uid', 'text', (c) => c.notNull().unique())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('REQUEST', 'CANCEL')`))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('stamped_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('check_in_invites_pkey', ['cycle_id', 'step'])
    .addCheckConstraint('check_in_invites_times', sql`ends_at > starts_at`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('check_in_invites').execute();
  await db.schema.alterTable('cycles').dropColumn('delivery_problem').dropColumn('delivery_problem_at').execute();
  await db.schema.alterTable('people').dropColumn('undeliverable_email').dropColumn('undeliverable_reason').dropColumn('undeliverable_since').execute();
  await db.schema.alterTable('outbox').dropColumn('lease_until').execute();
  await db.schema.alterTable('outbox').dropConstraint('outbox_status_check').execute();
  await db.schema
    .alterTable('outbox')
    .addCheckConstraint('outbox_status_check', sql`status in ('pending', 'sent', 'failed')`)
    .execute();
}
