import type { Kysely } from 'kysely';

// The roster's free-text meeting preferences belong to the pair (the department typed them),
// so a re-import can update them without touching the running cycle.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('pairs').addColumn('meeting_preferences', 'text').execute();
  // Rollover and "missing from this roster" both scan a department's active pairs.
  await db.schema.createIndex('pairs_department_status_idx').on('pairs').columns(['department_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('pairs_department_status_idx').execute();
  await db.schema.alterTable('pairs').dropColumn('meeting_preferences').execute();
}
