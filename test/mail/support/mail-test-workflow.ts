/**
 * A tiny workflow that only calls the mail activities, so their retries run under a real
 * Temporal worker and retry policy (the mentoring workflow is tested on its own).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { TandemActivities } from '../../../src/activities/index.ts';
import type { CheckInInviteRequest, NotificationRequest } from '../../../src/activities/types.ts';

const { sendNotification, sendCheckInInvite } = proxyActivities<TandemActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second' },
});

export async function mailTestWorkflow(input: { notification: NotificationRequest; invites: CheckInInviteRequest[] }) {
  const notification = await sendNotification(input.notification);
  const invites = [];
  for (const invite of input.invites) invites.push(await sendCheckInInvite(invite));
  return { notification, invites };
}
