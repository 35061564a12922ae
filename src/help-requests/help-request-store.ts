/**
 * Help requests in Postgres, the message sealed with the data key
 * (src/security/data-encryption.ts) and bound to the row's id, so a sealed message copied
 * into another row fails to open. Every read of a message goes through here and is audited
 * before the message is returned.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordReads, type AuditActor } from '../security/audit-log.ts';
import { open, seal, type DataKey } from '../security/data-encryption.ts';

export function purposeOf(id: string): string {
  return `help-request:${id}`;
}

/** Stores a mentee's request, sealed, and returns its id. */
export async function saveHelpRequest(
  db: Kysely<Database>,
  key: DataKey,
  args: { cycleId: string; personId: string; resourceId: string; message: string },
): Promise<string> {
  // The id is chosen here, not by the database, because the seal is bound to it.
  const id = randomUUID();
  await db
    .insertInto('help_requests')
    .values({ id, cycle_id: args.cycleId, person_id: args.personId, resource_id: args.resourceId, message: null, sealed: seal(key, purposeOf(id), args.message) })
    .execute();
  return id;
}

export interface HelpRequestToRead {
  id: string;
  message: string | null;
  sealed: Buffer | null;
}

/**
 * Opens the messages of rows already chosen by the caller, auditing every one first. Rows
 * written before 0008 and not yet sealed after migrating carry their plaintext.
 */
export async function openHelpRequests<Row extends HelpRequestToRead>(
  db: Kysely<Database>,
  key: DataKey,
  rows: readonly Row[],
  audit: { actor: AuditActor; reason: string },
): Promise<(Omit<Row, 'message' | 'sealed'> & { message: string })[]> {
  await recordReads(
    db,
    rows.map((r) => ({ actor: audit.actor, action: 'read-help-request' as const, subject: { kind: 'help-request' as const, id: r.id }, reason: audit.reason })),
  );
  return rows.map(({ message, sealed, ...rest }) => ({ ...rest, message: sealed ? open<string>(key, purposeOf(rest.id), sealed) : (message ?? '') }));
}

/**
 * Seals the messages of rows written before 0008: run after migrating (the migrate command and
 * every process's start-up), which have the key a migration lacks. Idempotent and safe to run
 * from two processes at once; returns how many rows it sealed.
 */
export async function sealPlaintextHelpRequests(db: Kysely<Database>, key: DataKey): Promise<number> {
  const rows = await db.selectFrom('help_requests').select(['id', 'message']).where('sealed', 'is', null).where('message', 'is not', null).execute();
  for (const row of rows) {
    await db
      .updateTable('help_requests')
      .set({ sealed: seal(key, purposeOf(row.id), row.message), message: null })
      .where('id', '=', row.id)
      .where('sealed', 'is', null)
      .execute();
  }
  return rows.length;
}
