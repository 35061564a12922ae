import { sql, type Kysely } from 'kysely';

/**
 * Roster imports as a coordinator does them: the uploaded file kept by its SHA-256, each
 * preview and its confirmation, and every cycle start the import's workflow makes — so a
 * confirm imports exactly what was previewed and progress survives any web process.
 * cycles.joined_at is the real enrollment instant (enrolled_at stays the plan's start).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Existing cycles get no joined_at (they were never late); new rows get the insert instant.
  await db.schema.alterTable('cycles').addColumn('joined_at', 'timestamptz').execute();
  await sql`alter table cycles alter column joined_at set default now()`.execute(db);

  await db.schema
    .createTable('roster_uploads')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('first_uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('roster_imports')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().references('roster_uploads.sha256'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('delimiter', 'text')
    /** 'web' | 'cli' | 'api'. */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'uuid')
    .addColumn('staff_name', 'text')
    .addColumn('previewed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    /** A digest of the previewed plan: the confirm must find the same one. */
    .addColumn('plan_digest', 'text', (c) => c.notNull())
    /** previewed → confirmed (rows written, starts pending) → started; or stale. */
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('previewed'))
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('summary', 'jsonb')
    .addColumn('workflow_id', 'text')
    .execute();
  await db.schema.createIndex('roster_imports_department_idx').on('roster_imports').columns(['department_id', 'previewed_at']).execute();

  await db.schema
    .createTable('roster_import_starts')
    .addColumn('import_id', 'uuid', (c) => c.notNull().references('roster_imports.id').onDelete('cascade'))
    .addColumn('cycle_id', 'uuid', (c) => c.notNull())
    /** pending | started | already-running | failed */
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('roster_import_starts_pk', ['import_id', 'cycle_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('roster_import_starts').execute();
  await db.schema.dropTable('roster_imports').execute();
  await db.schema.dropTable('roster_uploads').execute();
  await db.schema.alterTable('cycles').dropColumn('joined_at').execute();
}
