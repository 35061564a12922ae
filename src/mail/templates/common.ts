/**
 * What every template sees, and the small helpers that keep their wording consistent:
 * names as people asked to be called, dates in the reader's own zone, steps in words.
 */
import type { Action } from '../../security/action-tokens.ts';
import { checkInNumber, isCheckInStep } from '../../domain/step-id.ts';

export type Role = 'mentor' | 'mentee' | 'coordinator' | 'resource';

export interface Person {
  personId: string | null;
  email: string;
  /** How to address them: preferred name when they gave one. */
  name: string;
  pronouns: string | null;
  role: Role;
  /** IANA zone for dates shown to this person. */
  timeZone: string;
}

export interface TemplateContext {
  departmentName: string;
  mentor: Person;
  mentee: Person;
  /** The reader of this copy. */
  to: Person;
  /** "expectations", "check-in-2", "training-goals", "feedback", "evaluation", "cycle". */
  step: string;
  /** Non-confidential details from the workflow: dueAt, startsAt, endsAt, rung, reason, until, owedBy, phase, stalledSince. */
  facts: Record<string, string | number | null>;
  /** The resource a stalled pair is referred to (for the referral message). */
  referralResource: { name: string; role: string };
}

export interface MessageDraft {
  subject: string;
  paragraphs: string[];
  /** The one thing to do, as a button; the link is signed for this reader. */
  action?: { label: string; act: Action; step?: string };
}

export type Template = (ctx: TemplateContext) => MessageDraft;

/** "Grace (she/her)": the pronouns someone gave, next to their name, so others use them. */
export function named(p: Person): string {
  return p.pronouns ? `${p.name} (${p.pronouns})` : p.name;
}

export function isParticipant(to: Person): to is Person & { role: 'mentor' | 'mentee' } {
  return to.role === 'mentor' || to.role === 'mentee';
}

/** The other member of the pair, for a participant. */
export function partnerOf(ctx: TemplateContext): Person {
  return ctx.to.role === 'mentor' ? ctx.mentee : ctx.mentor;
}

export function greeting(ctx: TemplateContext): string {
  return `Dear ${ctx.to.name},`;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

/** The step in words: "your second check-in", "your expectations". */
export function stepInWords(step: string): string {
  const n = checkInNumber(step);
  if (n !== null) {
    return `the ${ORDINALS[n - 1] ?? `number ${n}`} check-in`;
  }
  return (
    {
      expectations: 'the expectations step',
      'training-goals': 'the training and career goals re-visit',
      feedback: 'the two-way feedback',
      evaluation: 'the evaluation input',
      cycle: 'the mentoring year',
    }[step] ?? `the "${step}" step`
  );
}

function validDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

const DATE_STYLES = {
  day: { weekday: 'long', month: 'long', day: 'numeric' },
  moment: { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

// Building a DateTimeFormat costs far more than formatting with one (a burst formats thousands), and one is pure per style and zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(style: keyof typeof DATE_STYLES, timeZone: string): Intl.DateTimeFormat {
  const key = `${style} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { ...DATE_STYLES[style], timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** "Friday, November 14", in the reader's zone; null when the fact is absent or not a date. */
export function dayOf(value: string | number | null | undefined, timeZone: string): string | null {
  const d = validDate(value);
  return d ? formatterFor('day', timeZone).format(d) : null;
}

/** "Friday, November 14, 10:00 AM EST", in the reader's zone. */
export function momentOf(value: string | number | null | undefined, timeZone: string): string | null {
  const d = validDate(value);
  return d ? formatterFor('moment', timeZone).format(d) : null;
}

/** " by Friday, November 14" or "" — for sentences that read well either way. */
export function byDue(ctx: TemplateContext): string {
  const day = dayOf(ctx.facts.dueAt, ctx.to.timeZone);
  return day ? ` by ${day}` : '';
}

/** " (due Friday, November 14)" or "" — for a reader who does not owe the step. */
export function dueNote(ctx: TemplateContext): string {
  const day = dayOf(ctx.facts.dueAt, ctx.to.timeZone);
  return day ? ` (due ${day})` : '';
}

export function fact(ctx: TemplateContext, key: string): string | null {
  const v = ctx.facts[key];
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' || s === 'NaN' || s === 'undefined' || s === 'null' ? null : s;
}

/** Who owes the step, from the facts or the step itself. */
export function owedBy(ctx: TemplateContext): 'mentor' | 'mentee' | 'both' {
  const given = fact(ctx, 'owedBy');
  if (given === 'mentor' || given === 'mentee' || given === 'both') return given;
  if (ctx.step === 'training-goals') return 'mentee';
  if (ctx.step === 'expectations') return 'mentor';
  return 'both';
}

/** The action a participant takes to move a step on (for reminders). */
export function actionFor(ctx: TemplateContext): MessageDraft['action'] {
  if (!isParticipant(ctx.to)) return undefined;
  const role = ctx.to.role;
  const step = ctx.step;
  if (step === 'expectations') {
    return role === 'mentor'
      ? { label: 'Share your expectations', act: 'share-expectations', step }
      : { label: 'Read and respond', act: 'respond-expectations', step };
  }
  if (isCheckInStep(step)) {
    return fact(ctx, 'phase') === 'awaiting-outcome'
      ? { label: 'Tell us whether you met', act: 'check-in-outcome', step }
      : { label: 'Pick a time to meet', act: 'schedule-check-in', step };
  }
  if (step === 'training-goals') {
    return role === 'mentee' ? { label: 'Update your goals', act: 'update-goals', step } : { label: 'Review the goals', act: 'review-goals', step };
  }
  if (step === 'feedback') return { label: 'Give your feedback', act: 'give-feedback', step };
  return undefined;
}

/** What a participant is asked to do for a step, in a few words (for reminders). */
export function taskInWords(ctx: TemplateContext): string {
  const role = ctx.to.role;
  const partner = isParticipant(ctx.to) ? named(partnerOf(ctx)) : null;
  const step = ctx.step;
  if (step === 'expectations') {
    return role === 'mentee'
      ? `read the expectations ${partner} shared and acknowledge them or ask about them`
      : `share your written expectations with ${partner ?? named(ctx.mentee)}`;
  }
  if (isCheckInStep(step)) {
    return fact(ctx, 'phase') === 'awaiting-outcome'
      ? `let us know whether ${stepInWords(step)} took place`
      : `find a time for ${stepInWords(step)}${partner ? ` with ${partner}` : ''}`;
  }
  if (step === 'training-goals') return role === 'mentor' ? `review the training and career goals ${partner} updated` : 'update your training and career goals';
  if (step === 'feedback') return 'give your feedback on the mentoring year';
  return `complete ${stepInWords(step)}`;
}
