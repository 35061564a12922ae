import { sql, type Kysely } from 'kysely';

/**
 * What participants type, kept only here (never in Temporal): expectations, questions,
 * training goals, feedback, help requests. The workflow refers to these rows by id.
 * Cycles of later years share their pair's workflow id (continue-as-new keeps it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cycles').dropConstraint('cycles_workflow_id_key').execute();
  await db.schema.createIndex('cycles_workflow_id_idx').on('cycles').column('workflow_id').execute();

  await db.schema
    .createTable('expectations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('cycles.id'))
    .addColumn('author_person_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('meeting_cadence_days', 'integer', (c) => c.notNull().check(sql`meeting_cadence_days between 1 and 92`))
    .addColumn('meeting_local_time', 'text', (c) => c.notNull())
    .addColumn('meeting_format', 'text', (c) => c.notNull().check(sql`meeting_format in ('in-person', 'video', 'hybrid')`))
    .addColumn('meeting_location', 'text')
    .addColumn('response_time_norms', 'text', (c) => c.notNull())
    .addColumn('work_life_boundaries', 'text', (c) => c.notNull())
    .addColumn('leave_contingencies', 'text', (c) => c.notNull())
    .addColumn('other_expectations', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('expectations_cycle_version_unique', ['cycle_id', 'version'])
    .execute();

  await db.schema
    .createTable('expectation_responses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('expectations_id', 'uuid', (c) => c.notNull().references('expectations.id'))
    .addColumn('author_person_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('acknowledged', 'questioned')`))
    .addColumn('message', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('training_goals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('cycles.id'))
    .addColumn('author_person_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('training_goals', 'text', (c) => c.notNull())
    .addColumn('career_goals', 'text', (c) => c.notNull())
    .addColumn('support_needed', 'text')
    .addColumn('mentor_review', 'text')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Confidential: the web app never shows one mentee's ratings to their mentor.
  await db.schema
    .createTable('feedback')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('cycles.id'))
    .addColumn('author_person_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('author_role', 'text', (c) => c.notNull().check(sql`author_role in ('mentor', 'mentee')`))
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('feedback_cycle_role_unique', ['cycle_id', 'author_role'])
    .execute();

  // Confidential: reaches department resources only, never the mentor or the workflow.
  await db.schema
    .createTable('help_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('cycles.id'))
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['help_requests', 'feedback', 'training_goals', 'expectation_responses', 'expectations']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('cycles_workflow_id_idx').execute();
  await db.schema.alterTable('cycles').addUniqueConstraint('cycles_workflow_id_key', ['workflow_id']).execute();
}
