/**
 * `tandem rotate-data-key`: re-seals every sealed row under the newest data key
 * (TANDEM_DATA_KEY's first), so the older keys can then be dropped.
 *
 * Safe to stop at any moment and to run while Tandem runs:
 * - each row is rewritten in one statement that only applies if the row still holds the value
 *   read (a row a live process re-sealed meanwhile is left as that process wrote it);
 * - a row is either under its old key or under the newest, never half-written, so a killed run
 *   loses nothing, and the next run skips what is already under the newest key.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { purposeOf as feedbackPurpose } from '../evaluation/feedback-store.ts';
import { purposeOf as packetPurpose } from '../evaluation/packets.ts';
import { purposeOf as helpRequestPurpose } from '../help-requests/help-request-store.ts';
import { open, seal, sealedKeyId, type DataKey } from './data-encryption.ts';

const BATCH = 200;

interface SealedRow {
  id: string;
  sealed: Buffer;
  purpose: string;
}

/** Every table with sealed values: how to read a batch of its rows after `afterId`, with each row's purpose. */
const SEALED_TABLES: Record<'feedback' | 'evaluation_packets' | 'help_requests', (db: Kysely<Database>, afterId: string) => Promise<SealedRow[]>> = {
  feedback: async (db, afterId) =>
    (
      await db.selectFrom('feedback').select(['id', 'sealed', 'cycle_id', 'author_role']).where('sealed', 'is not', null).where('id', '>', afterId).orderBy('id').limit(BATCH).execute()
    ).map((r) => ({ id: r.id, sealed: r.sealed!, purpose: feedbackPurpose(r.cycle_id, r.author_role) })),
  evaluation_packets: async (db, afterId) =>
    (await db.selectFrom('evaluation_packets').select(['id', 'sealed', 'mentor_id', 'academic_year']).where('id', '>', afterId).orderBy('id').limit(BATCH).execute()).map((r) => ({
      id: r.id,
      sealed: r.sealed,
      purpose: packetPurpose(r.mentor_id, r.academic_year),
    })),
  help_requests: async (db, afterId) =>
    (await db.selectFrom('help_requests').select(['id', 'sealed']).where('sealed', 'is not', null).where('id', '>', afterId).orderBy('id').limit(BATCH).execute()).map((r) => ({
      id: r.id,
      sealed: r.sealed!,
      purpose: helpRequestPurpose(r.id),
    })),
};

export interface RotationCounts {
  table: string;
  resealed: number;
  alreadyCurrent: number;
}

export async function rotateDataKey(db: Kysely<Database>, key: DataKey, onProgress: (counts: RotationCounts) => void = () => {}): Promise<RotationCounts[]> {
  const report: RotationCounts[] = [];
  for (const [table, readBatch] of Object.entries(SEALED_TABLES) as [keyof typeof SEALED_TABLES, (typeof SEALED_TABLES)[keyof typeof SEALED_TABLES]][]) {
    const counts: RotationCounts = { table, resealed: 0, alreadyCurrent: 0 };
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await readBatch(db, afterId);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (sealedKeyId(row.sealed) === key.currentId) {
          counts.alreadyCurrent++;
          continue;
        }
        const resealed = seal(key, row.purpose, open<unknown>(key, row.purpose, row.sealed));
        const result = await db.updateTable(table).set({ sealed: resealed }).where('id', '=', row.id).where('sealed', '=', row.sealed).executeTakeFirst();
        if (result.numUpdatedRows > 0n) counts.resealed++;
        else counts.alreadyCurrent++; // rewritten by a live process meanwhile, under the newest key
      }
      afterId = rows.at(-1)!.id;
      onProgress(counts);
    }
    report.push(counts);
  }
  return report;
}
