/** The email around a check-in invite: what, when, where, and how to move it. */
import { greeting, momentOf, named, partnerOf, stepInWords, type MessageDraft, type TemplateContext } from './common.ts';

export interface InviteFacts {
  method: 'REQUEST' | 'CANCEL';
  /** Not the first invite for this check-in. */
  isUpdate: boolean;
  startsAt: string;
  endsAt: string;
  location: string | null;
  /** A CANCEL because the pair ended: nothing to reschedule. Otherwise a cancelled check-in still wants a new time. */
  pairEnded?: boolean;
  /** A CANCEL because the year closed, or because of time away (proposed again on return). */
  withdrawnBecause?: 'year-ended' | 'paused';
}

/** Invites ask for no reply (RSVP=FALSE): Tandem reads none, so the email says what to do instead. */
const NO_REPLY =
  'There is no need to accept or decline in your calendar: Tandem does not read those replies. If the time does not suit you, move the meeting with the button below; your partner gets the new time.';

export function inviteSummary(ctx: TemplateContext): string {
  return `Mentoring check-in: ${ctx.mentor.name} and ${ctx.mentee.name}`;
}

export function inviteDraft(ctx: TemplateContext, invite: InviteFacts): MessageDraft {
  const partner = partnerOf(ctx);
  const when = momentOf(invite.startsAt, ctx.to.timeZone) ?? 'the agreed time';
  if (invite.method === 'CANCEL') {
    const cancelled = `${stepInWords(ctx.step).replace(/^the/, 'The')} with ${named(partner)} planned for ${when} is cancelled`;
    if (invite.withdrawnBecause === 'year-ended') {
      return {
        subject: `Cancelled: check-in with ${partner.name}, ${when}`,
        paragraphs: [
          greeting(ctx),
          `${cancelled}, as this mentoring year has closed; your calendar will remove it. Next year's check-ins come with their own invitations.`,
        ],
      };
    }
    if (invite.withdrawnBecause === 'paused') {
      return {
        subject: `Cancelled: check-in with ${partner.name}, ${when}`,
        paragraphs: [
          greeting(ctx),
          `${cancelled}, as it falls in time away from the mentoring cycle; your calendar will remove it. When the cycle resumes you will both get an invitation for a new time.`,
        ],
      };
    }
    if (invite.pairEnded) {
      return {
        subject: `Cancelled: check-in with ${partner.name}, ${when}`,
        paragraphs: [greeting(ctx), `${cancelled}, as the mentoring pair has ended; your calendar will remove it.`],
      };
    }
    return {
      subject: `Cancelled: check-in with ${partner.name}, ${when}`,
      paragraphs: [
        greeting(ctx),
        `${cancelled}; your calendar will remove it. The check-in itself still stands: please pick a new time that works for you both.`,
      ],
      action: { label: 'Pick a new time', act: 'schedule-check-in', step: ctx.step },
    };
  }
  return {
    subject: `${invite.isUpdate ? 'Updated: check-in' : 'Check-in'} with ${partner.name}, ${when}`,
    paragraphs: [
      greeting(ctx),
      invite.isUpdate
        ? `${stepInWords(ctx.step).replace(/^the/, 'The')} with ${named(partner)} has moved to ${when}. Your calendar will update the existing entry.`
        : `${stepInWords(ctx.step).replace(/^the/, 'The')} with ${named(partner)} is set for ${when}. It is in the attached invitation for your calendar.`,
      invite.location ? `Where: ${invite.location}` : 'Where: to be agreed between you.',
      `A check-in is a conversation about how things are going — the work, the training, and the mentoring itself. If the time stops suiting either of you, move it.`,
      NO_REPLY,
    ],
    action: { label: 'Move the meeting', act: 'schedule-check-in', step: ctx.step },
  };
}
