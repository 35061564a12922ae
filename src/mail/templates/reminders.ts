/**
 * Reminders to participants: before a due date, the first two ladder rungs, and the
 * coordinator's "remind now". Short, specific, and never a guilt trip.
 */
import {
  actionFor,
  byDue,
  dayOf,
  greeting,
  isParticipant,
  named,
  owedBy,
  partnerOf,
  stepInWords,
  taskInWords,
  type Template,
  type TemplateContext,
} from './common.ts';

function forOthers(ctx: TemplateContext, what: string) {
  return {
    subject: `${what}: ${ctx.mentor.name} and ${ctx.mentee.name}`,
    paragraphs: [greeting(ctx), `${what} for ${stepInWords(ctx.step)} of ${named(ctx.mentor)} and ${named(ctx.mentee)}.`],
  };
}

const BOUNDARY = 'If now is a busy stretch, a short note to each other about when you can get to it is enough.';

export const reminderTemplates = {
  'reminder-before-due': (ctx) =>
    isParticipant(ctx.to)
      ? {
          subject: dayOf(ctx.facts.dueAt, ctx.to.timeZone)
            ? `Due ${dayOf(ctx.facts.dueAt, ctx.to.timeZone)}: ${stepInWords(ctx.step)}`
            : `Coming up: ${stepInWords(ctx.step)}`,
          paragraphs: [greeting(ctx), `A friendly note that ${stepInWords(ctx.step)} is due${byDue(ctx)}. When you have a moment, please ${taskInWords(ctx)}.`],
          action: actionFor(ctx),
        }
      : forOthers(ctx, 'Reminder sent'),

  'ladder-remind-owner': (ctx) =>
    isParticipant(ctx.to)
      ? {
          subject: `Still open: ${stepInWords(ctx.step)}`,
          paragraphs: [
            greeting(ctx),
            `${stepInWords(ctx.step).replace(/^the/, 'The')} was due${dayOf(ctx.facts.dueAt, ctx.to.timeZone) ? ` on ${dayOf(ctx.facts.dueAt, ctx.to.timeZone)}` : ''} and is still open. Please ${taskInWords(ctx)}.`,
            BOUNDARY,
          ],
          action: actionFor(ctx),
        }
      : forOthers(ctx, 'Reminder sent'),

  'ladder-remind-both': (ctx) => {
    if (!isParticipant(ctx.to)) return forOthers(ctx, 'Both reminded');
    const owes = owedBy(ctx);
    const mine = owes === 'both' || owes === ctx.to.role;
    return {
      subject: `${stepInWords(ctx.step).replace(/^the/, 'The')} is overdue`,
      paragraphs: [
        greeting(ctx),
        mine
          ? `${stepInWords(ctx.step).replace(/^the/, 'The')} with ${named(partnerOf(ctx))} is overdue. We are writing to you both so you can sort it out together: please ${taskInWords(ctx)}.`
          : `${stepInWords(ctx.step).replace(/^the/, 'The')} is overdue; it waits on ${named(partnerOf(ctx))}. We are writing to you both in case a word between you helps — there is nothing for you to do in Tandem.`,
        `If something is in the way, the department's mentoring coordinator is glad to help.`,
      ],
      ...(mine ? { action: actionFor(ctx) } : {}),
    };
  },

  nudge: (ctx) =>
    isParticipant(ctx.to)
      ? {
          subject: `A reminder about ${stepInWords(ctx.step)}`,
          paragraphs: [greeting(ctx), `The mentoring coordinator asked us to remind you: please ${taskInWords(ctx)}${byDue(ctx)}.`, BOUNDARY],
          action: actionFor(ctx),
        }
      : forOthers(ctx, 'Reminder sent'),
} satisfies Record<string, Template>;
