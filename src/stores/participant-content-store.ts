/** What participants send: here, the saved rows of actions whose Update outcome is not yet known. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

// --- pending action saves (src/web/participant/run-update.ts) ---------------

/** The row saved by an earlier send with this link whose outcome was unknown, if any. */
export async function pendingActionSave<Saved>(db: Kysely<Database>, jti: string): Promise<Saved | null> {
  const row = await db.selectFrom('pending_action_saves').select('saved').where('jti', '=', jti).executeTakeFirst();
  return row ? (row.saved as Saved) : null;
}

export async function insertPendingActionSave(db: Kysely<Database>, jti: string, saved: unknown): Promise<void> {
  await db.insertInto('pending_action_saves').values({ jti, saved: JSON.stringify(saved) }).onConflict((oc) => oc.column('jti').doNothing()).execute();
}

export async function deletePendingActionSave(db: Kysely<Database>, jti: string): Promise<void> {
  await db.deleteFrom('pending_action_saves').where('jti', '=', jti).execute();
}
