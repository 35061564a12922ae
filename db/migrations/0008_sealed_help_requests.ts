import { sql, type Kysely } from 'kysely';

/**
 * Help-request messages sealed at rest like feedback (src/help-requests/help-request-store.ts).
 * `sealed` holds the AES-256-GCM message bound to its row; `message` becomes null for new
 * rows. A migration has no data key, so rows written before this one keep their plaintext
 * until the migrate command or a process's start-up migration seals them right after the schema
 * step (sealPlaintextHelpRequests, in src/cli/migrate-command.ts and src/app-context.ts);
 * until then the reader opens both forms.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('help_requests')
    .alterColumn('message', (c) => c.dropNotNull())
    .execute();
  await db.schema.alterTable('help_requests').addColumn('sealed', 'bytea').execute();
  await db.schema
    .alterTable('help_requests')
    .addCheckConstraint('help_requests_message_or_sealed', sql`message is not null or sealed is not null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('help_requests').dropConstraint('help_requests_message_or_sealed').execute();
  await db.schema.alterTable('help_requests').dropColumn('sealed').execute();
}
