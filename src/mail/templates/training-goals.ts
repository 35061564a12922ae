/** The training-goal re-visit: the mentee updates the IDP; the mentor reviews it. */
import { byDue, greeting, named, type Template } from './common.ts';

export const trainingGoalsTemplates = {
  'training-goals-due': (ctx) =>
    ctx.to.role === 'mentee'
      ? {
          subject: 'Time to re-visit your training and career goals',
          paragraphs: [
            greeting(ctx),
            `Once a year we ask you to look again at your training and career goals (your individual development plan)${byDue(ctx)}: what you want to learn next, the paths you are considering, and the support that would help.`,
            `${named(ctx.mentor)} will review them with you. Any direction is welcome, including ones that lead outside academia.`,
          ],
          action: { label: 'Update your goals', act: 'update-goals', step: ctx.step },
        }
      : {
          subject: `${ctx.mentee.name} is re-visiting training and career goals`,
          paragraphs: [
            greeting(ctx),
            `${named(ctx.mentee)} has been asked to update training and career goals${byDue(ctx)}. ${ctx.to.role === 'mentor' ? 'You will be asked to review them once they are in.' : ''}`.trim(),
          ],
        },

  'training-goals-updated': (ctx) =>
    ctx.to.role === 'mentor'
      ? {
          subject: `${ctx.mentee.name} has updated training and career goals`,
          paragraphs: [
            greeting(ctx),
            `${named(ctx.mentee)} has updated training and career goals. Please read them and add your review${byDue(ctx)}: what you can offer, and who else could help with the rest.`,
          ],
          action: { label: 'Review the goals', act: 'review-goals', step: ctx.step },
        }
      : {
          subject: 'Training and career goals updated',
          paragraphs: [
            greeting(ctx),
            `${ctx.to.role === 'mentee' ? 'Thank you for updating your training and career goals.' : `${named(ctx.mentee)} has updated training and career goals.`} ${named(ctx.mentor)} has been asked to review them.`,
          ],
        },

  'training-goals-reviewed': (ctx) => ({
    subject: `${ctx.mentor.name} has reviewed ${ctx.to.role === 'mentee' ? 'your' : `${ctx.mentee.name}'s`} goals`,
    paragraphs:
      ctx.to.role === 'mentee'
        ? [
            greeting(ctx),
            `${named(ctx.mentor)} has reviewed your training and career goals. Take a look at the review and bring anything you want to discuss to your next check-in.`,
          ]
        : [greeting(ctx), `${named(ctx.mentor)} has reviewed the training and career goals of ${named(ctx.mentee)}.`],
  }),
} satisfies Record<string, Template>;
