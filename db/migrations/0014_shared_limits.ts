import { sql, type Kysely } from 'kysely';

/**
 * Limits that must hold across every worker and web process (several of each in production),
 * so they live here rather than in any process's memory:
 * - relay_send_slots: when the next message may go to the SMTP relay (src/mail/relay-rate.ts).
 * - rate_limit_windows: the sign-in rate limits' counters (src/web/rate-limit-store.ts); the key
 *   is a hash, so no address or IP is stored.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('relay_send_slots')
    .addColumn('relay', 'text', (c) => c.primaryKey())
    .addColumn('next_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('rate_limit_windows')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_windows_ends_idx').on('rate_limit_windows').column('window_ends_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_windows').execute();
  await db.schema.dropTable('relay_send_slots').execute();
}
