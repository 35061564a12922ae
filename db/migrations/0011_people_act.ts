import { sql, type Kysely } from 'kysely';

/**
 * People act for themselves (issue 14): their reminder-delivery choice, their time away, and
 * the digests that gather held reminders. States, dates and contacts only — nothing here is
 * confidential content.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('person_settings')
    .addColumn('person_id', 'uuid', (c) => c.primaryKey().references('people.id'))
    .addColumn('reminder_delivery', 'text', (c) => c.notNull().defaultTo('immediate').check(sql`reminder_delivery in ('immediate', 'daily', 'weekly')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('time_away')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('leave', 'sabbatical', 'parental-leave', 'fieldwork', 'travel')`))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('pause_steps', 'boolean', (c) => c.notNull())
    .addColumn('contingency_name', 'text')
    .addColumn('contingency_email', 'text')
    .addColumn('contingency_covers', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled').check(sql`status in ('scheduled', 'active', 'ended')`))
    .addColumn('ended_early_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('time_away_ends_after_start', sql`ends_at > starts_at`)
    .execute();
  await db.schema.createIndex('time_away_person_idx').on('time_away').columns(['person_id', 'ends_at']).execute();

  // One row per recipient and period: the digest's own business key, claimed before any item joins it.
  await db.schema
    .createTable('digest_periods')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('daily', 'weekly')`))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('outbox_id', 'bigint', (c) => c.references('outbox.id'))
    .addUniqueConstraint('digest_periods_key', ['recipient_kind', 'recipient_id', 'frequency', 'starts_at'])
    .execute();
  await db.schema
    .createTable('digest_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('period_id', 'uuid', (c) => c.notNull().references('digest_periods.id'))
    /** The message it stands for (its outbox key would-have-been): a retried hold lands once. */
    .addColumn('item_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('cycle_id', 'uuid')
    .addColumn('step', 'text')
    .addColumn('facts', 'jsonb', (c) => c.notNull())
    .addColumn('held_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('digest_items_period_idx').on('digest_items').column('period_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('digest_items').execute();
  await db.schema.dropTable('digest_periods').execute();
  await db.schema.dropTable('time_away').execute();
  await db.schema.dropTable('person_settings').execute();
}
