/** All of Tandem's activities, built over their dependencies (database, mailer, policy). */
import { createNotificationActivities, type NotificationDeps } from './notifications.ts';
import { createProjectionActivities } from './projection.ts';
import { createRolloverActivities } from './rollover.ts';

export type ActivityDeps = NotificationDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createProjectionActivities(deps.db),
    ...createNotificationActivities(deps),
    ...createRolloverActivities(deps),
  };
}

export type TandemActivities = ReturnType<typeof createActivities>;
