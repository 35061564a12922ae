/**
 * Heartbeats for every activity, so the workflows can set a short heartbeat timeout: a worker
 * that dies mid-activity is noticed in seconds and its work retried on a live worker, instead
 * of waiting out the whole start-to-close timeout. A live activity may wait long (a message
 * queued behind the relay's rate limit, a slow relay); the heartbeat says it is still alive.
 *
 * The SDK throttles heartbeats to a fraction of the timeout, so ticking often costs nothing.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import { currentHeartbeatDetails } from './accepted-ledger.ts';

/** How often a running activity says it is alive; well inside ACTIVITY_HEARTBEAT_TIMEOUT (src/workflows/activity-timeouts.ts). */
export const KEEP_ALIVE_EVERY_MS = 2_000;

export function keepAlive<A extends unknown[], R>(activity: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const context = asyncLocalStorage.getStore();
    // A local activity (the projection an Update waits for) runs inside the workflow's own task
    // and has no heartbeat: the server would answer every tick with "unknown activity".
    if (!context || context.info.isLocal) return activity(...args);
    context.heartbeat(currentHeartbeatDetails(context));
    const timer = setInterval(() => context.heartbeat(currentHeartbeatDetails(context)), KEEP_ALIVE_EVERY_MS);
    try {
      return await activity(...args);
    } finally {
      clearInterval(timer);
    }
  };
}

/** Every function of an activities object, wrapped in keepAlive. */
export function keptAlive<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(Object.entries(activities).map(([name, fn]) => [name, keepAlive(fn as (...args: unknown[]) => Promise<unknown>)])) as unknown as T;
}
