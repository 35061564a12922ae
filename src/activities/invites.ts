/**
 * Check-in invites. Each check-in (cycle + step) keeps one calendar identity in Postgres:
 * a UID for its life and a SEQUENCE raised once per workflow revision. A retried activity
 * for a revision already recorded reuses the stored SEQUENCE and DTSTAMP, so the outbox
 * (keyed by that SEQUENCE) sends nothing new; an older revision arriving late is ignored.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { createLinkIssuer } from '../mail/action-links.ts';
import { checkInInviteIcs, meetingPlace } from '../mail/check-in-ics.ts';
import { checkInNumber, isCheckInStep } from '../domain/step-id.ts';
import { mailSenderName } from '../mail/layout.ts';
import { addressOf } from '../mail/header-safety.ts';
import { deliver, summarize, type DeliverySummary } from '../mail/outbox.ts';
import { layOut } from '../mail/render.ts';
import { againstRecorded, findInviteContext, recordCheckInInviteRevision } from '../stores/cycle-store.ts';
import { inviteDraft, inviteSummary } from '../mail/templates/invites.ts';
import { senderOf, type NotificationDeps } from './notifications.ts';
import { heartbeatLedger } from './accepted-ledger.ts';
import { CycleNotFoundError, loadPairContext, type PairContext } from './pair-context.ts';
import { settleAll } from './settle-all.ts';
import type { CheckInInviteRequest } from './types.ts';

export interface InviteResult extends DeliverySummary {
  uid: string;
  sequence: number;
  /** True when a newer revision was already sent: nothing was sent for this one. */
  stale: boolean;
}

function badRequest(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'BadInviteRequest');
}

function validate(request: CheckInInviteRequest): { startsAt: Date; endsAt: Date } {
  const startsAt = new Date(request.startsAt);
  const endsAt = new Date(request.endsAt);
  if (!isCheckInStep(request.step)) throw badRequest(`sendCheckInInvite: step must be "check-in-N" (got ${JSON.stringify(request.step)})`);
  if (request.method !== 'REQUEST' && request.method !== 'CANCEL')
    throw badRequest(`sendCheckInInvite: method must be REQUEST or CANCEL (got ${JSON.stringify(request.method)})`);
  if (Number.isNaN(startsAt.getTime())) throw badRequest(`sendCheckInInvite: startsAt is not an instant (got ${JSON.stringify(request.startsAt)})`);
  if (Number.isNaN(endsAt.getTime())) throw badRequest(`sendCheckInInvite: endsAt is not an instant (got ${JSON.stringify(request.endsAt)})`);
  if (endsAt <= startsAt) throw badRequest('sendCheckInInvite: endsAt must be after startsAt');
  if (!Number.isInteger(request.revision) || request.revision < 0)
    throw badRequest(`sendCheckInInvite: revision must be a whole number ≥ 0 (got ${request.revision})`);
  return { startsAt, endsAt };
}

/**
 * Records and sends check-in invites. `known`, as for notifications: the pair the calling
 * activity already read for this batch; read here when absent (never an activity's input).
 */
export function createInviteSender(deps: NotificationDeps) {
  const outbox = senderOf(deps);
  const organizer = { name: mailSenderName(deps.policy.department.name), email: addressOf(deps.mailFrom) };
  const uidDomain = organizer.email.split('@')[1] ?? 'tandem.localhost';
  const pairOf = (cycleId: string) =>
    loadPairContext(deps.db, cycleId).catch((error: unknown) => {
      throw error instanceof CycleNotFoundError ? badRequest(`sendCheckInInvite: ${error.message}`) : error;
    });
  return {
    /**
     * Records a check-in's new calendar state (what the feed serves) without sending: the
     * projection step calls this so the feed agrees with the page at once; the delivery that
     * follows finds the revision recorded and sends exactly that identity.
     */
    async recordCheckInInvite(request: CheckInInviteRequest, known?: PairContext): Promise<void> {
      const times = validate(request);
      const pair = known ?? (await pairOf(request.cycleId));
      await recordCheckInInviteRevision(deps.db, request, times, pair.mentee.timeZone, uidDomain);
    },

    async sendCheckInInvite(request: CheckInInviteRequest, known?: PairContext): Promise<InviteResult> {
      const times = validate(request);
      // Who the pair are, and the cycle with its meeting place and recorded invite: two independent reads, side by side.
      const [pair, cycle] = await Promise.all([known ?? pairOf(request.cycleId), findInviteContext(deps.db, request.cycleId, request.step)]);
      // The projection recorded this revision (or a newer one) before delivery: send what it recorded. Runs that
      // send without projecting first record it here; the pair meets in the mentee's zone, so the invite is written in it.
      const { row, stale, isUpdate } =
        cycle?.recorded && cycle.recorded.revision >= request.revision
          ? againstRecorded(cycle.recorded, request.revision)
          : await recordCheckInInviteRevision(deps.db, request, times, pair.mentee.timeZone, uidDomain);
      if (stale) return { uid: row.uid, sequence: row.sequence, stale: true, sent: 0, alreadySent: 0, refused: 0 };

      const place = meetingPlace(cycle?.meeting_format ?? null, cycle?.meeting_location ?? null);
      const method = row.method;
      const baseCtx = { departmentName: deps.policy.department.name, ...pair, step: request.step, facts: {}, referralResource: deps.policy.resources[0]! };
      const ics = checkInInviteIcs(method, {
        uid: row.uid,
        sequence: row.sequence,
        startsAt: row.starts_at,
        endsAt: row.ends_at,
        timeZone: row.time_zone,
        stampedAt: row.stamped_at,
        summary: inviteSummary({ ...baseCtx, to: pair.mentee }),
        description: `The check-in ${checkInNumber(request.step)} of the mentoring year of ${pair.mentor.name} and ${pair.mentee.name}.${place.url ? `\nVideo link: ${place.url}` : ''}`,
        location: place.location,
        url: place.url,
        cancelled: method === 'CANCEL',
        organizer,
        attendees: [pair.mentor, pair.mentee].map((p) => ({ name: p.name, email: p.email })),
      });
      // The effects activity projects the cycle before sending invites, so an ended pair already reads 'ended' here.
      // Why a booked meeting left the calendars without anyone cancelling it (older runs do not say: the cycle's status tells).
      const pairEnded =
        request.withdrawnBecause === 'pair-ended' || (!request.withdrawnBecause && (cycle?.status === 'ended' || cycle?.status === 'completed'));
      const withdrawnBecause = method === 'CANCEL' && request.withdrawnBecause !== 'pair-ended' ? request.withdrawnBecause : undefined;
      // A cancel's "pick a new time" link lives as long as the check-in's own deadline allows; a move's link as the meeting's.
      const dueAt =
        method === 'CANCEL' ? (cycle?.current_step === request.step && cycle.due_at ? cycle.due_at.toISOString() : null) : row.ends_at.toISOString();
      const links = createLinkIssuer({ secret: deps.secret, publicUrl: deps.publicUrl, cycleId: request.cycleId, policy: deps.policy, dueAt });
      const ledger = heartbeatLedger();
      // The two copies are independent outbox rows: sending them side by side halves the invite's wait, not its guarantees.
      const results = await settleAll(
        [pair.mentor, pair.mentee].map((to) => {
          const ctx = { ...baseCtx, to };
          return deliver(
            { ...outbox, acceptedLedger: ledger },
            {
              cycleId: request.cycleId,
              step: request.step,
              kind: method === 'CANCEL' ? 'check-in-cancel' : 'check-in-invite',
              sequence: row.sequence,
              recipient: to,
            },
            () => ({
              ...layOut(
                inviteDraft(ctx, {
                  method,
                  isUpdate,
                  startsAt: row.starts_at.toISOString(),
                  endsAt: row.ends_at.toISOString(),
                  location: place.location,
                  pairEnded,
                  withdrawnBecause,
                }),
                ctx,
                { links, helpResources: deps.policy.resources, calendarFeed: method === 'REQUEST' },
              ),
              icalEvent: { method, content: ics, filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics' },
            }),
          );
        }),
      );
      return { uid: row.uid, sequence: row.sequence, stale: false, ...summarize(results) };
    },
  };
}

export function createInviteActivities(deps: NotificationDeps) {
  const invites = createInviteSender(deps);
  return {
    recordCheckInInvite: (request: CheckInInviteRequest): Promise<void> => invites.recordCheckInInvite(request),
    sendCheckInInvite: (request: CheckInInviteRequest): Promise<InviteResult> => invites.sendCheckInInvite(request),
  };
}
