/** All of Tandem's activities, built over their dependencies (database, mailer, policy). */
import { createLifecycleActivities } from './cycle-lifecycle.ts';
import { createDigestActivities } from './digests.ts';
import { createEffectActivities } from './effects.ts';
import { createInviteActivities } from './invites.ts';
import { keptAlive } from './keep-alive.ts';
import { createNotificationActivities, type NotificationDeps } from './notifications.ts';
import { createRolloverActivities } from './rollover.ts';
import { createRosterImportActivities } from './roster-import.ts';
import { createTimeAwayActivities } from './time-away.ts';

/** `dataKey`: TANDEM_DATA_KEY when set; feedback is otherwise sealed under a key derived from `secret`. */
export type ActivityDeps = NotificationDeps & { dataKey?: string };

export function createActivities(deps: ActivityDeps) {
  const notifications = createNotificationActivities(deps);
  const invites = createInviteActivities(deps);
  // Every activity heartbeats while it runs, so a dead worker's work moves on in seconds.
  return keptAlive({
    ...notifications,
    ...invites,
    ...createEffectActivities({ db: deps.db, ...notifications, ...invites }),
    ...createLifecycleActivities(deps),
    ...createRolloverActivities(deps),
    ...createRosterImportActivities(deps),
    ...createDigestActivities(deps),
    ...createTimeAwayActivities(deps),
  });
}

export type TandemActivities = ReturnType<typeof createActivities>;
