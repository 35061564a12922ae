/** Messages to the department: a stalled pair, a referral, and the year's evaluation input. */
import { dayOf, fact, greeting, named, stepInWords, type Template, type TemplateContext } from './common.ts';
import { checkInNumber } from '../../domain/step-id.ts';

/** "check-in 2", "expectations", "training goals": short enough for a subject line. */
export function stepShortName(step: string): string {
  const checkIn = checkInNumber(step);
  if (checkIn !== null) return `check-in ${checkIn}`;
  return (
    { expectations: 'expectations', 'training-goals': 'training goals', feedback: 'feedback', evaluation: 'evaluation input', cycle: 'the mentoring year' }[
      step
    ] ?? step
  );
}

function stalledSince(ctx: TemplateContext): string {
  const day = dayOf(ctx.facts.stalledSince ?? ctx.facts.dueAt, ctx.to.timeZone);
  return day ? ` since ${day}` : '';
}

export const coordinationTemplates = {
  'ladder-coordinator-stalled': (ctx) => ({
    subject: `Stalled: ${ctx.mentor.name} and ${ctx.mentee.name}, ${stepInWords(ctx.step).replace(/^the /, '')}`,
    paragraphs: [
      greeting(ctx),
      `${stepInWords(ctx.step).replace(/^the/, 'The')} of mentor ${named(ctx.mentor)} and mentee ${named(ctx.mentee)} has been overdue${stalledSince(ctx)}, and reminders to both have not moved it. The cycle is now marked stalled on the dashboard.`,
      `You can remind them now, snooze the escalation, or resolve the step if it was settled outside Tandem. If nothing changes, the pair will be referred to ${ctx.referralResource.name}.`,
    ],
  }),

  'ladder-referral': (ctx) => ({
    // The step in the subject: a pair can be referred once per step, and each is its own matter.
    subject: `Referral: ${stepShortName(ctx.step)} of ${ctx.mentor.name} and ${ctx.mentee.name} stalled`,
    paragraphs: [
      greeting(ctx),
      `The department's mentoring program refers a pair to you: mentor ${named(ctx.mentor)} and mentee ${named(ctx.mentee)}. ${stepInWords(ctx.step).replace(/^the/, 'The')} of their mentoring year has been stalled${stalledSince(ctx)}, despite reminders and the coordinator's attention.`,
      `Please consider reaching out to them. Tandem shares no content they wrote; only that the step is stalled.`,
    ],
  }),

  'evaluation-input-ready': (ctx) => ({
    subject: `Evaluation input ready: ${ctx.mentor.name}`,
    paragraphs: [
      greeting(ctx),
      `The mentoring year of ${named(ctx.mentor)} and ${named(ctx.mentee)} has produced its evaluation input${fact(ctx, 'academicYear') ? ` for ${fact(ctx, 'academicYear')}` : ''}. Mentee ratings appear only in aggregate per mentor, and are withheld below the anonymity threshold.`,
    ],
  }),
} satisfies Record<string, Template>;
