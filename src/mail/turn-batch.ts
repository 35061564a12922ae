/**
 * Writes asked for in the same turn of the event loop, as one statement. A burst's sends run
 * side by side (a notice's readers, an invite's two copies, many cycles' activities at once);
 * each write on its own is a round trip, and the round trips are what the worker spends its
 * time on. Every caller waits for the shared statement and learns of its failure just as if
 * it had written alone.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export function batchedPerTurn<Item, Result>(
  write: (db: Kysely<Database>, items: Item[]) => Promise<Result>,
): (db: Kysely<Database>, item: Item) => Promise<Result> {
  const open = new WeakMap<Kysely<Database>, { items: Item[]; done: Promise<Result> }>();
  return (db, item) => {
    let batch = open.get(db);
    if (!batch) {
      const items: Item[] = [];
      const done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        open.delete(db);
        return write(db, items);
      });
      batch = { items, done };
      open.set(db, batch);
    }
    batch.items.push(item);
    return batch.done;
  };
}
