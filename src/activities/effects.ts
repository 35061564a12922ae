/**
 * The cycle workflow's side-effect activities. `projectEffects` writes what the pages read
 * (the cycle's state, its timeline, each check-in's calendar state for the feed) and is
 * what an Update waits for; `deliverEffects` sends the mail and invites behind it through
 * the outbox, without holding anyone's page. `applyEffects` does both in one call, for
 * runs started before the split. Every part is idempotent, so a retry after any failure
 * repeats nothing that was done.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { CheckInInviteRequest, CycleSnapshot, NotificationRequest } from './types.ts';
import { projectCycle, type TimelineEvent } from '../stores/cycle-store.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { PairContext } from './pair-context.ts';
import { settleAll } from './settle-all.ts';

export interface EffectBatch {
  cycleId: string;
  snapshot: CycleSnapshot;
  events: TimelineEvent[];
  notifications: NotificationRequest[];
  invites: CheckInInviteRequest[];
}

/** What follows a projection: the mail and invites of one or more transitions, in order. */
export type DeliveryBatch = Pick<EffectBatch, 'cycleId' | 'invites' | 'notifications'>;

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
async function retryingBugs(work: () => Promise<void>): Promise<void> {
  try {
    await work();
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

export function createEffectActivities(ports: EffectPorts) {
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
    /** The mail and invites that follow, through the outbox (exactly once per message). */
    deliverEffects: (batch: DeliveryBatch): Promise<void> => retryingBugs(() => deliver(batch)),
  };
}
