/** All of Tandem's activities, built over their dependencies (database, mailer, policy). */
import { createInviteActivities } from './invites.ts';
import { createNotificationActivities, type NotificationDeps } from './notifications.ts';
import { createProjectionActivities } from './projection.ts';

export type ActivityDeps = NotificationDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createProjectionActivities(deps.db),
    ...createNotificationActivities(deps),
    ...createInviteActivities(deps),
  };
}

export type TandemActivities = ReturnType<typeof createActivities>;
