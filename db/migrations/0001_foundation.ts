import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the database as it was at that point in
// history, not as db/schema.ts says it is today.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('departments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email = lower(email)`))
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('preferred_name', 'text')
    .addColumn('pronouns', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('people_department_email_unique', ['department_id', 'email'])
    .execute();

  await db.schema
    .createTable('pairs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('mentor_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('mentee_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('program', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'ended')`),
    )
    .addColumn('ended_reason', 'text')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('pairs_mentor_mentee_unique', ['mentor_id', 'mentee_id'])
    .addCheckConstraint('pairs_distinct_people', sql`mentor_id <> mentee_id`)
    .execute();

  await db.schema
    .createTable('cycles')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pair_id', 'uuid', (c) => c.notNull().references('pairs.id'))
    .addColumn('academic_year', 'integer', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull().unique())
    .addColumn('enrolled_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('running')
        .check(sql`status in ('running', 'paused', 'stalled', 'completed', 'ended')`),
    )
    .addColumn('current_step', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('owed_by', 'text')
    .addColumn('stalled_since', 'timestamptz')
    .addColumn('ladder_rung', 'integer')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('cycles_pair_year_unique', ['pair_id', 'academic_year'])
    .execute();
  // The dashboard's first question is "what is stalled, oldest first".
  await db.schema.createIndex('cycles_status_stalled_idx').on('cycles').columns(['status', 'stalled_since']).execute();

  await db.schema
    .createTable('cycle_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('cycles.id'))
    .addColumn('event_key', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('step', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addUniqueConstraint('cycle_events_key_unique', ['cycle_id', 'event_key'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('cycle_id', 'uuid', (c) => c.references('cycles.id'))
    .addColumn('step', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recipient_person_id', 'uuid', (c) => c.references('people.id'))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['outbox', 'cycle_events', 'cycles', 'pairs', 'people', 'departments']) {
    await db.schema.dropTable(table).execute();
  }
}
