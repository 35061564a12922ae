/**
 * Marking outbox rows sent, many at a time. A burst finishes hundreds of sends a second; each
 * mark on its own is a statement and a commit. Marks asked for in the same turn of the event
 * loop go out as one UPDATE, and every caller waits for that commit: a row is still marked only
 * after its own send was accepted, and a caller learns of a failed mark just as before.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { markOutboxSent } from '../stores/outbox-store.ts';

interface Batch {
  rows: { id: string; subject: string }[];
  done: Promise<void>;
}

const open = new WeakMap<Kysely<Database>, Batch>();

/** Waits between tries of a mark: a database blip must not undo a send the relay accepted. */
const RETRY_WAITS_MS = [0, 250, 1_000, 3_000];

async function writeMarks(db: Kysely<Database>, rows: Batch['rows']): Promise<void> {
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

/** Resolves once the row is marked sent (with this subject); rejects with the database's error after the retries. */
export function markSentSoon(db: Kysely<Database>, id: string, subject: string): Promise<void> {
  let batch = open.get(db);
  if (!batch) {
    const rows: Batch['rows'] = [];
    const created: Batch = {
      rows,
      done: new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        open.delete(db);
        return writeMarks(db, rows);
      }),
    };
    open.set(db, created);
    batch = created;
  }
  batch.rows.push({ id, subject });
  return batch.done;
}
