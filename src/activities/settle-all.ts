/**
 * Runs independent sends side by side and waits for every one of them before answering: a
 * failure of one never leaves another still running behind the activity's retry (which would
 * race it for the same outbox row). Throws the first failure, once all have settled.
 */
export async function settleAll<T>(work: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}
