/**
 * The cycle workflow's one side-effect activity: project the new state, then send what the
 * transition calls for. One call per transition keeps a year's history small; every part
 * is idempotent, so a retry after any failure repeats nothing that was done.
 */
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
      // Projection first: if mail is down, the dashboard still shows where the cycle is.
      await projectCycle(ports.db, batch.cycleId, batch.snapshot, batch.events);
      for (const invite of batch.invites) await ports.sendCheckInInvite(invite);
      for (const notification of batch.notifications) await ports.sendNotification(notification);
    },
  };
}
