import { sql, type Kysely } from 'kysely';

/**
 * Feedback encrypted at rest, evaluation packets per mentor and year, and the audit log of
 * every read of confidential data.
 *
 * `feedback.sealed` holds the AES-256-GCM sealed content (src/security/data-encryption.ts);
 * the old plaintext `content` column stays only for rows written before this migration
 * and is null for new ones.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('feedback')
    .alterColumn('content', (c) => c.dropNotNull())
    .execute();
  await db.schema.alterTable('feedback').addColumn('sealed', 'bytea').execute();
  await db.schema.alterTable('feedback').addColumn('framework_id', 'text').execute();
  await db.schema
    .alterTable('feedback')
    .addCheckConstraint('feedback_content_or_sealed', sql`content is not null or sealed is not null`)
    .execute();

  // One packet per mentor and academic year. Once released its contents never change, so two
  // versions of it can never be compared to isolate one late response.
  await db.schema
    .createTable('evaluation_packets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('mentor_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('academic_year', 'integer', (c) => c.notNull())
    .addColumn('ratings_status', 'text', (c) => c.notNull().check(sql`ratings_status in ('released', 'withheld')`))
    /** Responses behind the released ratings; 0 while withheld (the count itself would tell). */
    .addColumn('responses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('covered_years', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('sealed', 'bytea', (c) => c.notNull())
    .addColumn('released_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('evaluation_packets_mentor_year_unique', ['mentor_id', 'academic_year'])
    .execute();

  // Which mentee responses a released packet used: each response counts in one packet only.
  await db.schema
    .createTable('evaluation_packet_responses')
    .addColumn('feedback_id', 'uuid', (c) => c.primaryKey().references('feedback.id'))
    .addColumn('packet_id', 'uuid', (c) => c.notNull().references('evaluation_packets.id'))
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_kind', 'text', (c) => c.notNull().check(sql`actor_kind in ('participant', 'staff', 'system')`))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_subject_idx').on('audit_log').columns(['subject_kind', 'subject_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('evaluation_packet_responses').execute();
  await db.schema.dropTable('evaluation_packets').execute();
  await db.schema.alterTable('feedback').dropConstraint('feedback_content_or_sealed').execute();
  await db.schema.alterTable('feedback').dropColumn('framework_id').execute();
  await db.schema.alterTable('feedback').dropColumn('sealed').execute();
}
