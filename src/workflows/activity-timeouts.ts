/**
 * How long an activity may go without a heartbeat before Temporal gives it to another worker.
 * Every activity heartbeats every couple of seconds while it runs (src/activities/keep-alive.ts),
 * so only a dead or frozen worker misses this; its work then moves on in seconds rather than
 * after the start-to-close timeout.
 */
export const ACTIVITY_HEARTBEAT_TIMEOUT = '10 seconds';
