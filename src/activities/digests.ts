/**
 * Digest activities: the durable timer's delivery of a period (digest-delivery workflow), and
 * the scheduling of that timer when a message is held. Composers per recipient kind: a
 * participant's here; another kind (staff) registers its own in DIGEST_COMPOSERS' caller.
 */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { deliverDigest, type DigestComposer, type DigestPeriod } from '../mail/digest.ts';
import { participantDigestComposer, PARTICIPANT_RECIPIENT } from '../mail/digest-participant.ts';
import { coordinatorDigestComposer, STAFF_RECIPIENT } from '../mail/digest-coordinator.ts';
import { DeliveryDeferredError } from '../mail/outbox.ts';
import { findDigestRecipientKind } from '../stores/digest-store.ts';
import { digestWorkflowId, type DigestDeliveryInput } from '../workflows/digest-delivery.ts';
import { senderOf, type NotificationDeps } from './notifications.ts';

export function digestComposers(deps: NotificationDeps): Record<string, DigestComposer> {
  return { [PARTICIPANT_RECIPIENT]: participantDigestComposer(deps), [STAFF_RECIPIENT]: coordinatorDigestComposer(deps) };
}

/** Starts the period's one timer (idempotent by workflow id). Must run inside an activity. */
export async function scheduleDigestDelivery(period: DigestPeriod): Promise<void> {
  const context = Context.current();
  const input: DigestDeliveryInput = { periodId: period.id, endsAt: period.endsAt.toISOString() };
  try {
    await context.client.workflow.start('digestDelivery', { workflowId: digestWorkflowId(period.id), taskQueue: context.info.taskQueue, args: [input] });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export function createDigestActivities(deps: NotificationDeps) {
  const composers = digestComposers(deps);
  return {
    /** Sends the period's digest if it has ended; the outcome (no content) goes back to the workflow. */
    async deliverDigestPeriod(args: { periodId: string }): Promise<{ outcome: string; endsAt: string }> {
      const recipientKind = await findDigestRecipientKind(deps.db, args.periodId);
      const compose = composers[recipientKind];
      if (!compose) throw new Error(`no digest composer for recipients of kind "${recipientKind}"`);
      const result = await deliverDigest(senderOf(deps), args.periodId, compose);
      if (result.outcome === 'deferred' || result.outcome === 'in-flight') throw new DeliveryDeferredError([result]);
      return { outcome: result.outcome, endsAt: 'endsAt' in result ? result.endsAt.toISOString() : '' };
    },
  };
}
