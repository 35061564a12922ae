/** All of Tandem's activities, built over their dependencies (database, mailer, policy). */
import { createLifecycleActivities } from './cycle-lifecycle.ts';
import { createDigestActivities } from './digests.ts';
import { createEffectActivities } from './effects.ts';
import { createInviteActivities, createInviteSender } from './invites.ts';
import { keptAlive } from './keep-alive.ts';
import { createNotificationActivities, createNotificationSender, type NotificationDeps } from './notifications.ts';
import { loadPairContext } from './pair-context.ts';
import { createRolloverActivities } from './rollover.ts';
import { createRosterImportActivities } from './roster-import.ts';
import { createTimeAwayActivities } from './time-away.ts';

/** `dataKey`: TANDEM_DATA_KEY when set; feedback is otherwise sealed under a key derived from `secret`. */
export type ActivityDeps = NotificationDeps & { dataKey?: string };

export function createActivities(deps: ActivityDeps) {
  const invites = createInviteSender(deps);
  const effectPorts = {
    db: deps.db,
    loadPair: (cycleId: string) => loadPairContext(deps.db, cycleId),
    sendNotification: createNotificationSender(deps),
    recordCheckInInvite: invites.recordCheckInInvite,
    sendCheckInInvite: invites.sendCheckInInvite,
  };
  // Every activity heartbeats while it runs, so a dead worker's work moves on in seconds.
  return keptAlive({
    ...createNotificationActivities(deps),
    ...createInviteActivities(deps),
    ...createEffectActivities(effectPorts),
    ...createLifecycleActivities(deps),
    ...createRolloverActivities(deps),
    ...createRosterImportActivities(deps),
    ...createDigestActivities(deps),
    ...createTimeAwayActivities(deps),
  });
}

export type TandemActivities = ReturnType<typeof createActivities>;
