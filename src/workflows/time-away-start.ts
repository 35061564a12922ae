/**
 * The durable start of a time away announced ahead: sleeps on a Temporal timer until the
 * first day, then pauses the person's cycles (src/people/time-away.ts). Cancelled when the
 * person ends the time away before it starts. Ids only.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { TandemActivities } from '../activities/index.ts';

const { beginTimeAwayActivity } = proxyActivities<TandemActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function timeAwayStart(input: { timeAwayId: string; startsAt: string }): Promise<void> {
  const wait = Date.parse(input.startsAt) - Date.now();
  if (wait > 0) await sleep(wait);
  await beginTimeAwayActivity({ timeAwayId: input.timeAwayId });
}
