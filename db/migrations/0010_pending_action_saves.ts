import { sql, type Kysely } from 'kysely';

/**
 * What a participant's form saved before its Update, kept while the Update's outcome is
 * not known (the page's deadline passed). The same link sent again reuses this row instead
 * of saving a second version, and the Update (same id) cannot apply twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pending_action_saves')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('saved', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('pending_action_saves').execute();
}
