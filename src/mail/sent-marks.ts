/**
 * Marking outbox rows sent, many at a time. A burst finishes hundreds of sends a second; each
 * mark on its own is a statement and a commit. Marks asked for in the same turn of the event
 * loop go out as one UPDATE (src/mail/turn-batch.ts), and every caller waits for that commit:
 * a row is still marked only after its own send was accepted.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { markOutboxSent } from '../stores/outbox-store.ts';
import { batchedPerTurn } from './turn-batch.ts';

/** Waits between tries of a mark: a database blip must not undo a send the relay accepted. */
const RETRY_WAITS_MS = [0, 250, 1_000, 3_000];

async function writeMarks(db: Kysely<Database>, rows: { id: string; subject: string }[]): Promise<void> {
  let lastError: unknown;
  for (const wait of RETRY_WAITS_MS) {
    if (wait) await delay(wait);
    try {
      await markOutboxSent(db, rows);
      return;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

const markInBatch = batchedPerTurn(writeMarks);

/** Resolves once the row is marked sent (with this subject); rejects with the database's error after the retries. */
export function markSentSoon(db: Kysely<Database>, id: string, subject: string): Promise<void> {
  return markInBatch(db, { id, subject });
}
