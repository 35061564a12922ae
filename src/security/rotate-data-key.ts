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
import { listSealedFeedback, listSealedHelpRequests, replaceSealed, type SealedValue } from '../stores/participant-content-store.ts';
import { listSealedPackets } from '../stores/report-store.ts';
import { open, seal, sealedKeyId, type DataKey } from './data-encryption.ts';

const BATCH = 200;

/** Every table with sealed values: how to read a batch of its rows after `afterId`, with each row's purpose. */
const SEALED_TABLES: Record<'feedback' | 'evaluation_packets' | 'help_requests', (db: Kysely<Database>, afterId: string) => Promise<SealedValue[]>> = {
  feedback: (db, afterId) => listSealedFeedback(db, afterId, BATCH),
  evaluation_packets: (db, afterId) => listSealedPackets(db, afterId, BATCH),
  help_requests: (db, afterId) => listSealedHelpRequests(db, afterId, BATCH),
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
        if (await replaceSealed(db, table, row.id, row.sealed, resealed)) counts.resealed++;
        else counts.alreadyCurrent++; // rewritten by a live process meanwhile, under the newest key
      }
      afterId = rows.at(-1)!.id;
      onProgress(counts);
    }
    report.push(counts);
  }
  return report;
}
