import { sql, type Kysely } from 'kysely';

/**
 * Single use of emailed action links: a state-changing link is recorded here (by its token
 * id, `jti`) when its action succeeds, with what it did, so a second click says what
 * happened instead of acting twice. Ids and states only; what the person typed lives in the
 * content tables.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('used_action_links')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('people.id'))
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('cycles.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('step', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('used_action_links_cycle_idx').on('used_action_links').column('cycle_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('used_action_links').execute();
}
