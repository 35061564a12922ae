/**
 * A transaction that Postgres may abort to break a deadlock, run again from the start.
 *
 * The count tables kept by triggers (cycle_stage_counts, cycle_report_counts) are upserted in
 * one key order within a statement, but a transaction of several statements (a roster's pairs,
 * then its cycles in batches) can still meet a projection write in the opposite order. Postgres
 * then aborts one of them (40P01); the work inside is a whole transaction that re-reads what it
 * needs, so running it again is safe, and the person who confirmed a roster never sees it.
 */
import type { Kysely, Transaction } from 'kysely';

const DEADLOCK_DETECTED = '40P01';
const ATTEMPTS = 3;

export async function transactionRetryingDeadlocks<DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || (error as { code?: string } | null)?.code !== DEADLOCK_DETECTED) throw error;
    }
  }
}
