/**
 * The cycle workflow's side-effect activities. `projectEffects` writes what the pages read
 * (the cycle's state, its timeline, each check-in's calendar state for the feed) and is
 * what an Update waits for; `deliverEffects` sends the mail and invites behind it through
 * the outbox, without holding anyone's page. `projectAndDeliverEffects` does both in the
 * workflow's own task when no page waits, handing back what it could not send in time.
 * `applyEffects` does both in one call, for runs started before the split. Every part is
 * idempotent, so a retry after any failure repeats nothing that was done.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/activity';
import type { CheckInInviteRequest, CycleSnapshot, NotificationRequest } from './types.ts';
import { projectCycle, type TimelineEvent } from '../stores/cycle-store.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { PairContext } from './pair-context.ts';
import { settleAll } from './settle-all.ts';
import { acceptedSoFar, heartbeatLedger } from './accepted-ledger.ts';

/**
 * How long a pass's own delivery may hold the workflow's task (and a local-activity slot)
 * before it hands the rest to `deliverEffects`. A healthy relay takes a pass's two to four
 * messages in tens of milliseconds; a slow, held or rate-saturated one must not keep Updates
 * of this cycle, or projections of others, waiting behind it.
 */
export const IN_PASS_DELIVERY_BUDGET_MS = 2_000;

export interface EffectBatch {
  cycleId: string;
  snapshot: CycleSnapshot;
  events: TimelineEvent[];
  notifications: NotificationRequest[];
  invites: CheckInInviteRequest[];
}

/** What follows a projection: the mail and invites of one or more transitions, in order. */
export type DeliveryBatch = Pick<EffectBatch, 'cycleId' | 'invites' | 'notifications'> & {
  /** Outbox rows an earlier attempt saw the relay accept (a pass's own delivery that handed over): marked, never sent again. */
  acceptedOutboxIds?: string[];
};

/** What a pass's own delivery could not finish: the workflow gives the batch to `deliverEffects`. Ids only. */
export interface DeliveryHandOver {
  acceptedOutboxIds: string[];
}

export interface EffectPorts {
  db: Kysely<Database>;
  /** Who the pair are, read once per batch for every message in it (names are read at send time, not stored). */
  loadPair(cycleId: string): Promise<PairContext>;
  recordCheckInInvite(request: CheckInInviteRequest, pair: PairContext): Promise<void>;
  sendNotification(request: NotificationRequest, pair: PairContext): Promise<unknown>;
  sendCheckInInvite(request: CheckInInviteRequest, pair: PairContext): Promise<unknown>;
}

/**
 * A request the mail code rejects as malformed is a bug in Tandem, not in the cycle: keep
 * retrying (visible in the Temporal UI) until a fixed worker is deployed, rather than
 * failing a year-long workflow that could not be revived.
 */
async function retryingBugs<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApplicationFailure && error.nonRetryable) {
      throw ApplicationFailure.retryable(error.message, `${error.type ?? 'Error'}AwaitingFix`);
    }
    throw error;
  }
}

async function inOrder<T>(items: T[], send: (item: T) => Promise<unknown>): Promise<void> {
  for (const item of items) await send(item);
}

/**
 * A pass's own delivery: done within the budget, or handed over (with what the relay accepted
 * so far). Sends still under way at the budget go on here and keep their outbox claims; the
 * hand-over's attempt finds those rows in flight and retries until they are marked, so nothing
 * goes out twice. A failure (the relay down, a deferral) hands over too: `deliverEffects` has
 * the retries and the backoff, and shows the failure in the Temporal UI.
 */
export async function sendWithinBudget(send: () => Promise<void>, budgetMs: number): Promise<DeliveryHandOver | null> {
  const sending = send().then(
    () => 'delivered' as const,
    () => 'failed' as const,
  );
  const budget = new AbortController();
  const late = sleep(budgetMs, 'late' as const, { signal: budget.signal }).catch(() => 'late' as const);
  const outcome = await Promise.race([sending, late]);
  budget.abort();
  return outcome === 'delivered' ? null : { acceptedOutboxIds: acceptedSoFar() };
}

/**
 * How long after a hand-over this process's passes hand their mail straight to the delivery
 * activity. A relay that held one pass past its budget (saturated at its agreed rate, slow,
 * down) would hold the next ones too, each keeping its cycle's Updates and a local-activity
 * slot for the whole budget. A hint for routing, not a limit: the rate itself lives in Postgres.
 */
export const RELAY_SLOW_FOR_MS = 10_000;

/** The in-pass delivery of one worker process: within its budget, and skipped while the relay looks slow. */
export function createInPassDelivery(options: { budgetMs?: number; slowForMs?: number; now?: () => number } = {}) {
  const { budgetMs = IN_PASS_DELIVERY_BUDGET_MS, slowForMs = RELAY_SLOW_FOR_MS, now = Date.now } = options;
  let slowUntil = 0;
  return async (send: () => Promise<void>): Promise<DeliveryHandOver | null> => {
    if (now() < slowUntil) return { acceptedOutboxIds: [] };
    const handOver = await sendWithinBudget(send, budgetMs);
    if (handOver) slowUntil = now() + slowForMs;
    return handOver;
  };
}

export function createEffectActivities(ports: EffectPorts) {
  const deliverInPass = createInPassDelivery();
  const project = async (batch: EffectBatch) => {
    await projectCycle(ports.db, batch.cycleId, batch.snapshot, batch.events);
    if (batch.invites.length === 0) return;
    const pair = await ports.loadPair(batch.cycleId);
    for (const invite of batch.invites) await ports.recordCheckInInvite(invite, pair);
  };
  /**
   * Each person's messages keep the order their transitions happened in: the notices go out
   * one after another, and so do the revisions of one check-in (a cancel before its re-booking).
   * Those chains are independent outbox rows and go out side by side: a wake-up's invite and
   * its window notice no longer wait for each other.
   */
  const deliver = async (batch: DeliveryBatch) => {
    if (batch.invites.length === 0 && batch.notifications.length === 0) return;
    const pair = await ports.loadPair(batch.cycleId);
    const inviteChains = new Map<string, CheckInInviteRequest[]>();
    for (const invite of batch.invites) inviteChains.set(invite.step, [...(inviteChains.get(invite.step) ?? []), invite]);
    await settleAll([
      inOrder(batch.notifications, (notification) => ports.sendNotification(notification, pair)),
      ...[...inviteChains.values()].map((revisions) => inOrder(revisions, (invite) => ports.sendCheckInInvite(invite, pair))),
    ]);
  };
  return {
    /** Projection and delivery in one call (runs started before the split still schedule this). */
    applyEffects: (batch: EffectBatch): Promise<void> =>
      retryingBugs(async () => {
        // Projection first: if mail is down, the dashboard still shows where the cycle is.
        await project(batch);
        await deliver(batch);
      }),
    /** What an Update waits for: only Postgres writes, so a page answers while mail queues. */
    projectEffects: (batch: EffectBatch): Promise<void> => retryingBugs(() => project(batch)),
    /**
     * The projection, then the mail and invites, in the workflow's own task: for a pass no
     * Update waits on, this saves the delivery activity and the workflow task that follows it.
     * Only the projection fails the call (and is retried); mail it could not send in time or at
     * all comes back as a hand-over.
     */
    projectAndDeliverEffects: (batch: EffectBatch): Promise<DeliveryHandOver | null> =>
      retryingBugs(async () => {
        await project(batch);
        if (batch.invites.length === 0 && batch.notifications.length === 0) return null;
        return deliverInPass(() => deliver(batch));
      }),
    /** The mail and invites that follow, through the outbox (exactly once per message). */
    deliverEffects: (batch: DeliveryBatch): Promise<void> =>
      retryingBugs(() => {
        const ledger = heartbeatLedger();
        for (const id of batch.acceptedOutboxIds ?? []) ledger?.record(id);
        return deliver(batch);
      }),
  };
}
