/**
 * Sends one digest when its period ends (src/mail/digest.ts). Started by whoever holds the
 * period's first message, with the period's id as workflow id, so each period has exactly
 * one durable timer however many messages it gathers and however many processes hold them.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { TandemActivities } from '../activities/index.ts';

export interface DigestDeliveryInput {
  periodId: string;
  /** ISO instant the period ends. */
  endsAt: string;
}

const { deliverDigestPeriod } = proxyActivities<TandemActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export function digestWorkflowId(periodId: string): string {
  return `digest-${periodId}`;
}

export async function digestDelivery(input: DigestDeliveryInput): Promise<string> {
  let endsAt = Date.parse(input.endsAt);
  for (;;) {
    const wait = endsAt - Date.now();
    if (wait > 0) await sleep(wait);
    const result = await deliverDigestPeriod({ periodId: input.periodId });
    // Only when the worker's clock is behind the database's: wait out the difference.
    if (result.outcome !== 'not-yet') return result.outcome;
    endsAt = Date.parse(result.endsAt);
  }
}
