/**
 * Heartbeats for every activity, so the workflows can set a short heartbeat timeout: a worker
 * that dies mid-activity is noticed in seconds and its work retried on a live worker, instead
 * of waiting out the whole start-to-close timeout. A live activity may wait long (a message
 * queued behind the relay's rate limit, a slow relay); the heartbeat says it is still alive.
 *
 * The first tick comes KEEP_ALIVE_EVERY_MS after the start, not at it: nearly every activity is
 * done before then and costs the server no heartbeat at all (each is a write of the workflow's
 * state there, and a billed action on Temporal Cloud). A failed attempt heartbeats once as it
 * fails, so what the relay accepted reaches the next attempt (the SDK sends a failed attempt's
 * last heartbeat). The SDK throttles the rest to a fraction of the timeout.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import { currentHeartbeatDetails } from './accepted-ledger.ts';

/** How often a running activity says it is alive; well inside ACTIVITY_HEARTBEAT_TIMEOUT (src/workflows/activity-timeouts.ts). */
export const KEEP_ALIVE_EVERY_MS = 2_000;
/** How far apart the SDK lets heartbeats reach the server: 80 % of the 10-second heartbeat timeout. */
const SDK_HEARTBEAT_THROTTLE_MS = 8_000;

/** How many heartbeats one attempt sends to the server: for the cost estimate (bench/support/billable-actions.ts). */
export function heartbeatsOfAttempt(runningMs: number, failed: boolean): number {
  const ticks = runningMs < KEEP_ALIVE_EVERY_MS ? 0 : 1 + Math.floor((runningMs - KEEP_ALIVE_EVERY_MS) / SDK_HEARTBEAT_THROTTLE_MS);
  return ticks + (failed ? 1 : 0);
}

export function keepAlive<A extends unknown[], R>(activity: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const context = asyncLocalStorage.getStore();
    // A local activity (the projection an Update waits for) runs inside the workflow's own task
    // and has no heartbeat: the server would answer every tick with "unknown activity".
    if (!context || context.info.isLocal) return activity(...args);
    const timer = setInterval(() => context.heartbeat(currentHeartbeatDetails(context)), KEEP_ALIVE_EVERY_MS);
    try {
      return await activity(...args);
    } catch (error) {
      context.heartbeat(currentHeartbeatDetails(context));
      throw error;
    } finally {
      clearInterval(timer);
    }
  };
}

/** Every function of an activities object, wrapped in keepAlive. */
export function keptAlive<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(Object.entries(activities).map(([name, fn]) => [name, keepAlive(fn as (...args: unknown[]) => Promise<unknown>)])) as unknown as T;
}
