/**
 * The cycle workflow's one side-effect activity: project the new state, then send what the
 * transition calls for. One call per transition keeps a year's history small; every part
 * is idempotent, so a retry after any failure repeats nothing that was done.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { CheckInInviteRequest, CycleSnapshot, NotificationRequest } from './types.ts';
import { projectCycle, type TimelineEvent } from './projection.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface EffectBatch {
  cycleId: string;
  snapshot: CycleSnapshot;
  events: TimelineEvent[];
  notifications: NotificationRequest[];
  invites: CheckInInviteRequest[];
}

export interface EffectPorts {
  db: Kysely<Database>;
  sendNotification(request: NotificationRequest): Promise<unknown>;
  sendCheckInInvite(request: CheckInInviteRequest): Promise<unknown>;
}

export function createEffectActivities(ports: EffectPorts) {
  return {
    async applyEffects(batch: EffectBatch): Promise<void> {
      try {
        // Projection first: if mail is down, the dashboard still shows where the cycle is.
        await projectCycle(ports.db, batch.cycleId, batch.snapshot, batch.events);
        for (const invite of batch.invites) await ports.sendCheckInInvite(invite);
        for (const notification of batch.notifications) await ports.sendNotification(notification);
      } catch (error) {
        // A request the mail code rejects as malformed is a bug in Tandem, not in the cycle:
        // keep retrying (visible in the Temporal UI) until a fixed worker is deployed, rather
        // than failing a year-long workflow that could not be revived.
        if (error instanceof ApplicationFailure && error.nonRetryable) {
          throw ApplicationFailure.retryable(error.message, `${error.type ?? 'Error'}AwaitingFix`);
        }
        throw error;
      }
    },
  };
}
