/** Life events: a pause for leave or travel, the resumption, and the end of a pair. */
import { dayOf, fact, greeting, isParticipant, named, partnerOf, type Template, type TemplateContext } from './common.ts';

const PAUSE_REASONS: Record<string, string> = { leave: 'a leave', sabbatical: 'a sabbatical', travel: 'travel', other: 'a break' };
const END_REASONS: Record<string, string> = {
  graduation: 'graduation — congratulations',
  'lab-change': 'a change of lab',
  withdrawn: 'a withdrawal from the program',
  other: 'a change of plans',
};

function pauseReason(ctx: TemplateContext): string {
  return PAUSE_REASONS[fact(ctx, 'reason') ?? 'other'] ?? 'a break';
}

function subjectPair(ctx: TemplateContext): string {
  return isParticipant(ctx.to) ? `with ${partnerOf(ctx).name}` : `for ${ctx.mentor.name} and ${ctx.mentee.name}`;
}

export const lifeEventTemplates = {
  'cycle-paused': (ctx) => {
    const until = dayOf(ctx.facts.until, ctx.to.timeZone);
    return {
      subject: `Mentoring paused ${subjectPair(ctx)}`,
      paragraphs: [
        greeting(ctx),
        `The mentoring year of ${named(ctx.mentor)} and ${named(ctx.mentee)} is paused for ${pauseReason(ctx)}${until ? `, expected until ${until}` : ''}. No deadlines run and no reminders are sent while it is paused.`,
        isParticipant(ctx.to)
          ? `Please keep each other informed about how to reach one another in the meantime, as your expectations describe.`
          : `It resumes when a participant or a coordinator says so.`,
      ],
    };
  },

  'cycle-resumed': (ctx) => ({
    subject: `Mentoring resumed ${subjectPair(ctx)}`,
    paragraphs: [
      greeting(ctx),
      isParticipant(ctx.to)
        ? `Welcome back. Your mentoring year with ${named(partnerOf(ctx))} has resumed; the open steps continue from where they paused, with their dates moved on by the length of the pause.`
        : `The mentoring year of ${named(ctx.mentor)} and ${named(ctx.mentee)} has resumed.`,
    ],
  }),

  'pair-ended': (ctx) => ({
    subject: isParticipant(ctx.to)
      ? `Your mentoring pairing with ${partnerOf(ctx).name} has ended`
      : `Pairing ended: ${ctx.mentor.name} and ${ctx.mentee.name}`,
    paragraphs: [
      greeting(ctx),
      `The mentoring pairing of ${named(ctx.mentor)} and ${named(ctx.mentee)} has ended because of ${END_REASONS[fact(ctx, 'reason') ?? 'other'] ?? 'a change of plans'}. Tandem sends no further messages about it.`,
      ...(isParticipant(ctx.to) ? [`Thank you for the time and care you gave to this mentoring relationship.`] : []),
    ],
  }),
} satisfies Record<string, Template>;
