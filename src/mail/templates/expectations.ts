/** The year's first step: the mentor writes down expectations; the mentee responds. */
import { byDue, greeting, named, type Template } from './common.ts';

export const expectationsTemplates = {
  'expectations-requested': (ctx) =>
    ctx.to.role === 'mentor'
      ? {
          subject: `Please share your expectations with ${ctx.mentee.name}`,
          paragraphs: [
            greeting(ctx),
            `A new mentoring year with ${named(ctx.mentee)} has begun. The first step is yours: write down what you expect and what you commit to${byDue(ctx)} — how often and how you will meet, what a timely reply means for you, your work-life boundaries, and who ${ctx.mentee.name} can turn to while you are on leave or travelling.`,
            `${ctx.mentee.name} will read them and either acknowledge them or raise questions. It usually takes about twenty minutes.`,
          ],
          action: { label: 'Share your expectations', act: 'share-expectations', step: ctx.step },
        }
      : ctx.to.role === 'mentee'
        ? {
            subject: `Your mentoring year with ${ctx.mentor.name} has begun`,
            paragraphs: [
              greeting(ctx),
              `A new mentoring year with ${named(ctx.mentor)} has begun. ${ctx.mentor.name} has been asked to share written expectations with you: how often you will meet, response times, work-life boundaries, and plans for leave or travel.`,
              `When they arrive, check whether they fit your own expectations and say so — questions and differences are welcome and are best raised early.`,
            ],
          }
        : {
            subject: `Mentoring year started: ${ctx.mentor.name} and ${ctx.mentee.name}`,
            paragraphs: [
              greeting(ctx),
              `The mentoring year of ${named(ctx.mentor)} and ${named(ctx.mentee)} has begun; ${ctx.mentor.name} has been asked to share written expectations${byDue(ctx)}.`,
            ],
          },

  'expectations-shared': (ctx) =>
    ctx.to.role === 'mentee'
      ? {
          subject: `${ctx.mentor.name} has shared expectations for your mentoring year`,
          paragraphs: [
            greeting(ctx),
            `${named(ctx.mentor)} has written down expectations for your year together: meetings, response times, work-life boundaries and what happens during leave or travel.`,
            `Please read them and either acknowledge them or ask about anything that does not fit${byDue(ctx)}. Raising a difference now is part of the process, not a complaint.`,
          ],
          action: { label: 'Read and respond', act: 'respond-expectations', step: ctx.step },
        }
      : {
          subject: `Expectations shared with ${ctx.mentee.name}`,
          paragraphs: [
            greeting(ctx),
            `The written expectations for the mentoring year of ${named(ctx.mentor)} and ${named(ctx.mentee)} have been shared. ${ctx.mentee.name} has been asked to acknowledge them or raise questions${byDue(ctx)}.`,
          ],
        },

  'expectations-acknowledged': (ctx) => ({
    subject: ctx.to.role === 'mentee' ? `You acknowledged ${ctx.mentor.name}'s expectations` : `${ctx.mentee.name} has acknowledged the expectations`,
    paragraphs:
      ctx.to.role === 'mentor'
        ? [
            greeting(ctx),
            `${named(ctx.mentee)} has read and acknowledged the expectations you shared. Thank you for putting them in writing.`,
            `Next come your quarterly check-ins; you will both receive an invitation when the first one is due. Re-visit the expectations whenever your circumstances change.`,
          ]
        : ctx.to.role === 'mentee'
          ? [
              greeting(ctx),
              `Thank you for reading and acknowledging the expectations ${named(ctx.mentor)} shared. The quarterly check-ins come next; if anything changes for you, say so at any of them.`,
            ]
          : [greeting(ctx), `${named(ctx.mentee)} has acknowledged the expectations ${named(ctx.mentor)} shared. The quarterly check-ins come next.`],
  }),

  'expectations-questioned': (ctx) => ({
    subject: ctx.to.role === 'mentee' ? `Your questions have gone to ${ctx.mentor.name}` : `${ctx.mentee.name} has questions about the expectations`,
    paragraphs:
      ctx.to.role === 'mentor'
        ? [
            greeting(ctx),
            `${named(ctx.mentee)} has read your expectations and raised questions about them. That is exactly what this step is for: differences are easiest to settle early.`,
            `Please read the questions, talk them through if that helps, and share a revised version${byDue(ctx)}.`,
          ]
        : ctx.to.role === 'mentee'
          ? [
              greeting(ctx),
              `Thank you for raising your questions — that is what this step is for. ${named(ctx.mentor)} has them and has been asked to revise the expectations; you will hear when the new version is ready.`,
            ]
          : [
              greeting(ctx),
              `${named(ctx.mentee)} has raised questions about the expectations ${named(ctx.mentor)} shared; ${ctx.mentor.name} has been asked to revise them.`,
            ],
    ...(ctx.to.role === 'mentor' ? { action: { label: 'Read the questions and revise', act: 'share-expectations' as const, step: ctx.step } } : {}),
  }),
} satisfies Record<string, Template>;
