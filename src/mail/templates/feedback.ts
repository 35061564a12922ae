/** Two-way feedback: both give it; each reads the other's once both are in or the window closes. */
import { byDue, dueNote, greeting, isParticipant, named, partnerOf, type Template } from './common.ts';

export const feedbackTemplates = {
  'feedback-requested': (ctx) =>
    isParticipant(ctx.to)
      ? {
          subject: 'Two-way feedback on your mentoring year',
          paragraphs: [
            greeting(ctx),
            `As the year draws to a close, we ask you and ${named(partnerOf(ctx))} to give each other structured feedback${byDue(ctx)}: what helped, what could change, and what to keep doing.`,
            ctx.to.role === 'mentee'
              ? `Neither of you sees the other's feedback until both are in or the window closes. Your ratings feed the department's evaluation of mentoring only in aggregate and never identify you.`
              : `Neither of you sees the other's feedback until both are in or the window closes.`,
          ],
          action: { label: 'Give your feedback', act: 'give-feedback', step: ctx.step },
        }
      : {
          subject: `Feedback window open: ${ctx.mentor.name} and ${ctx.mentee.name}`,
          paragraphs: [greeting(ctx), `The two-way feedback window of ${named(ctx.mentor)} and ${named(ctx.mentee)} is open${dueNote(ctx)}.`],
        },

  'feedback-released': (ctx) =>
    isParticipant(ctx.to)
      ? {
          subject: `${partnerOf(ctx).name}'s feedback is ready to read`,
          paragraphs: [
            greeting(ctx),
            `The feedback window has closed, so you can now read what ${named(partnerOf(ctx))} wrote. Read it with the same generosity you hoped for in return, and take one thing into next year.`,
          ],
          action: { label: 'Read the feedback', act: 'read-feedback', step: ctx.step },
        }
      : {
          subject: `Feedback released: ${ctx.mentor.name} and ${ctx.mentee.name}`,
          paragraphs: [greeting(ctx), `The two-way feedback of ${named(ctx.mentor)} and ${named(ctx.mentee)} has been released to them.`],
        },
} satisfies Record<string, Template>;
