/**
 * Sending a notification: resolve who it is for (names read now), render each copy from
 * the catalogue, and deliver it through the outbox (src/mail/outbox.ts), so a retried
 * activity never sends what was already sent.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../db/schema.ts';
import type { Policy } from '../domain/policy.ts';
import { createLinkIssuer } from '../mail/action-links.ts';
import { deliver, outboxKey, summarize, type DeliveryResult, type DeliverySummary, type OutboxDeps } from '../mail/outbox.ts';
import { renderMessage } from '../mail/render.ts';
import { mailSenderName } from '../mail/layout.ts';
import { holdForDigest } from '../mail/digest.ts';
import { DIGESTIBLE_KINDS, PARTICIPANT_RECIPIENT, participantDigestChoice } from '../mail/digest-participant.ts';
import { heartbeatLedger } from './accepted-ledger.ts';
import { coordinatorRecipients, holdCoordinatorNotice } from './coordinator-recipients.ts';
import { scheduleDigestDelivery } from './digests.ts';
import { CycleNotFoundError, loadPairContext, recipientsFor, type PairContext } from './pair-context.ts';
import { settleAll } from './settle-all.ts';
import { MESSAGE_KINDS, type NotificationRequest } from './types.ts';

export interface NotificationDeps {
  db: Kysely<Database>;
  mailer: Transporter;
  policy: Policy;
  mailFrom: string;
  publicUrl: string;
  /** Signs the action links in messages (config.secret). */
  secret: string;
}

/** The department is the sender: its name from the policy, its address from MAIL_FROM. */
export function senderOf(deps: Pick<NotificationDeps, 'db' | 'mailer' | 'mailFrom' | 'policy'>): OutboxDeps {
  return { db: deps.db, mailer: deps.mailer, mailFrom: deps.mailFrom, senderName: mailSenderName(deps.policy.department.name) };
}

const AUDIENCES = ['mentor', 'mentee', 'coordinators', 'referral-resource'];

function badRequest(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'BadNotificationRequest');
}

/**
 * Sends one notification to each of its readers. `known`: the pair as the calling activity
 * already read it for this batch (the effects activities read it once for all their messages);
 * read here when absent. Never part of an activity's input: names stay out of workflow history.
 */
export function createNotificationSender(deps: NotificationDeps) {
  const outbox = senderOf(deps);
  return async function sendNotification(request: NotificationRequest, known?: PairContext): Promise<DeliverySummary> {
    if (!(MESSAGE_KINDS as readonly string[]).includes(request.kind))
      throw badRequest(`sendNotification: kind "${request.kind}" is not in the message catalogue`);
    if (!Number.isInteger(request.sequence) || request.sequence < 0)
      throw badRequest(`sendNotification: sequence must be a whole number ≥ 0 (got ${request.sequence})`);
    const unknown = request.audience.filter((a) => !AUDIENCES.includes(a));
    if (request.audience.length === 0 || unknown.length > 0)
      throw badRequest(`sendNotification: audience must list ${AUDIENCES.join(', ')} (got ${JSON.stringify(request.audience)})`);

    const pair =
      known ??
      (await loadPairContext(deps.db, request.cycleId).catch((error: unknown) => {
        throw error instanceof CycleNotFoundError ? badRequest(`sendNotification: ${error.message}`) : error;
      }));
    const facts = request.facts ?? {};
    const links = createLinkIssuer({
      secret: deps.secret,
      publicUrl: deps.publicUrl,
      cycleId: request.cycleId,
      policy: deps.policy,
      dueAt: typeof facts.dueAt === 'string' ? facts.dueAt : null,
    });
    const referral = deps.policy.resources.find((r) => r.id === deps.policy.referralResourceId)!;
    const ledger = heartbeatLedger();
    const coordinators = request.audience.includes('coordinators') ? await coordinatorRecipients(deps.db, deps.policy) : undefined;
    // Coordinators who chose the daily digest get this notice in it instead (src/mail/digest-coordinator.ts).
    for (const staff of coordinators?.digest ?? []) {
      const entry = { cycleId: request.cycleId, step: request.step, kind: request.kind, sequence: request.sequence, recipient: staff };
      await holdCoordinatorNotice(deps, staff.staffId, {
        itemKey: outboxKey(entry),
        kind: request.kind,
        cycleId: request.cycleId,
        step: request.step,
        facts,
      });
    }
    // Each reader's copy is its own outbox row: they go out side by side, and all settle before the attempt ends.
    const results = await settleAll(
      recipientsFor(request.audience, pair, deps.policy, coordinators?.immediate).map(async (to): Promise<DeliveryResult[]> => {
        // A reminder to someone who chose a digest waits for it instead (src/mail/digest.ts).
        const digest = to.personId && DIGESTIBLE_KINDS.includes(request.kind) ? await participantDigestChoice(deps.db, to.personId) : null;
        if (digest && to.personId) {
          const entry = { cycleId: request.cycleId, step: request.step, kind: request.kind, sequence: request.sequence, recipient: to };
          const held = await holdForDigest(deps.db, {
            recipient: { kind: PARTICIPANT_RECIPIENT, id: to.personId },
            frequency: digest,
            clock: { timeZone: to.timeZone, timeCompression: deps.policy.timeCompression },
            item: { itemKey: outboxKey(entry), kind: request.kind, cycleId: request.cycleId, step: request.step, facts },
            now: new Date(),
          });
          await scheduleDigestDelivery(held.period);
          return [];
        }
        return [
          await deliver(
            { ...outbox, acceptedLedger: ledger },
            { cycleId: request.cycleId, step: request.step, kind: request.kind, sequence: request.sequence, recipient: to },
            () =>
              renderMessage(
                request.kind,
                { departmentName: deps.policy.department.name, ...pair, to, step: request.step, facts, referralResource: referral },
                { links, helpResources: deps.policy.resources, calendarFeed: request.kind === 'check-in-window-open' },
              ),
          ),
        ];
      }),
    );
    return summarize(results.flat());
  };
}

export function createNotificationActivities(deps: NotificationDeps) {
  const sendNotification = createNotificationSender(deps);
  return { sendNotification: (request: NotificationRequest): Promise<DeliverySummary> => sendNotification(request) };
}
