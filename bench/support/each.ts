/**
 * forEachConcurrently for benchmark drivers: the first failure stops new work, but every call
 * already in flight is let finish before the failure is thrown, so a scenario's teardown never
 * closes a connection under a call still retrying on it.
 */
import { forEachConcurrently } from '../../src/cycles/start-cycles.ts';

export async function eachSettled<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let failure: { error: unknown } | null = null;
  await forEachConcurrently(
    items,
    limit,
    async (item, index) => {
      try {
        await task(item, index);
      } catch (error) {
        failure ??= { error };
      }
    },
    () => failure !== null,
  );
  if (failure) throw (failure as { error: unknown }).error;
}
