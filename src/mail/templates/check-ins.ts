/** The quarterly check-ins: the window opens, the meeting happens (or not), and we ask. */
import { byDue, dueNote, greeting, isParticipant, momentOf, named, partnerOf, stepInWords, type Template, type TemplateContext } from './common.ts';

function pairLine(ctx: TemplateContext): string {
  return `${named(ctx.mentor)} and ${named(ctx.mentee)}`;
}

export const checkInTemplates = {
  'check-in-window-open': (ctx) => {
    if (!isParticipant(ctx.to)) {
      return {
        subject: `Check-in window open: ${ctx.mentor.name} and ${ctx.mentee.name}`,
        paragraphs: [greeting(ctx), `The window for ${stepInWords(ctx.step)} of ${pairLine(ctx)} is open${dueNote(ctx)}.`],
      };
    }
    const partner = partnerOf(ctx);
    const proposed = momentOf(ctx.facts.startsAt, ctx.to.timeZone);
    return {
      subject: `Time for ${stepInWords(ctx.step)} with ${partner.name}`,
      paragraphs: [
        greeting(ctx),
        `It is time for ${stepInWords(ctx.step)} with ${named(partner)}${byDue(ctx)}: a short conversation about how the work, the training and the mentoring itself are going.`,
        proposed
          ? `We have proposed ${proposed}, at your agreed cadence; a calendar invitation follows separately. If it does not suit either of you, pick another time.`
          : `Agree on a time that suits you both; a calendar invitation follows once it is set.`,
      ],
      action: { label: proposed ? 'Move the meeting' : 'Pick a time to meet', act: 'schedule-check-in', step: ctx.step },
    };
  },

  'check-in-outcome-requested': (ctx) => {
    if (!isParticipant(ctx.to)) {
      return {
        subject: `Check-in outcome awaited: ${ctx.mentor.name} and ${ctx.mentee.name}`,
        paragraphs: [greeting(ctx), `${pairLine(ctx)} have been asked whether ${stepInWords(ctx.step)} took place.`],
      };
    }
    const partner = partnerOf(ctx);
    return {
      subject: `Did you meet ${partner.name}?`,
      paragraphs: [
        greeting(ctx),
        `${stepInWords(ctx.step).replace(/^the/, 'The')} with ${named(partner)} was planned${momentOf(ctx.facts.startsAt, ctx.to.timeZone) ? ` for ${momentOf(ctx.facts.startsAt, ctx.to.timeZone)}` : ''}. One click tells us whether it took place; nothing else is needed.`,
      ],
      action: { label: 'We met / we did not', act: 'check-in-outcome', step: ctx.step },
    };
  },

  'check-in-missed': (ctx) => {
    if (!isParticipant(ctx.to)) {
      return {
        subject: `Check-in missed: ${ctx.mentor.name} and ${ctx.mentee.name}`,
        paragraphs: [
          greeting(ctx),
          `${stepInWords(ctx.step).replace(/^the/, 'The')} of ${pairLine(ctx)} did not take place; they have been asked to reschedule.`,
        ],
      };
    }
    const partner = partnerOf(ctx);
    return {
      subject: `Let's find another time with ${partner.name}`,
      paragraphs: [
        greeting(ctx),
        `${stepInWords(ctx.step).replace(/^the/, 'The')} with ${named(partner)} did not take place — that happens. Please pick a new time that works for you both${byDue(ctx)}.`,
      ],
      action: { label: 'Pick a new time', act: 'schedule-check-in', step: ctx.step },
    };
  },
} satisfies Record<string, Template>;
