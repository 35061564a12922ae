/**
 * schedule-check-in (mentor or mentee): pick a time for a quarterly check-in, move it, or
 * cancel it. Offered times follow the pair's agreed cadence and local time; any other time
 * can be typed. Every time is shown and read in the person's own zone. Each change sends
 * both an updated calendar invitation (with a fresh link to change it again).
 */
import { meetingLengthMs } from '../../../domain/check-in-slot.ts';
import { linkLifetimeSeconds } from '../../../mail/action-links.ts';
import { issueActionToken } from '../../../security/action-tokens.ts';
import { cancelCheckInUpdate, scheduleCheckInUpdate } from '../../../workflows/definitions.ts';
import { html } from '../../html.ts';
import type { ActionContext, ActionModule, FieldError } from '../action-module.ts';
import { instantFromLocalInput, proposeSlots } from '../check-in-slots.ts';
import { readCycleView, stepOf } from '../cycle-view.ts';
import { checkInNumber } from '../../../domain/step-id.ts';
import { radioGroup, textField } from '../form-fields.ts';
import { dayIn, momentIn } from '../pages.ts';
import { runUpdate } from '../run-update.ts';
import { OVERDUE_GRACE_DAYS } from '../../../workflows/check-in-calendar.ts';
import type { StepView } from '../../../workflows/definitions.ts';
import type { Policy } from '../../../domain/policy.ts';
import { expectationsAcknowledgedAt, latestExpectations } from '../../../stores/participant-content-store.ts';

/** A window's edge as the reader reads it: a day, or (days compressed to seconds in demos) the moment. */
const edge = (policy: Policy, at: string | number, zone: string) => (policy.timeCompression === 1 ? dayIn(at, zone) : momentIn(at, zone));

/** The check-in's window in the reader's words: the same bounds the workflow's validator holds bookings to. */
function windowSentence(ctx: ActionContext, step: StepView, n: number): string {
  const zone = ctx.person.timeZone;
  if (ctx.now.getTime() >= Date.parse(step.dueAt)) {
    return `Check-in ${n}'s window closed on ${edge(ctx.policy, step.dueAt, zone)}; a new time can still be booked within the next ${OVERDUE_GRACE_DAYS} days.`;
  }
  return `Check-in ${n}'s window runs from ${edge(ctx.policy, step.opensAt, zone)} to ${edge(ctx.policy, step.dueAt, zone)}; a booking must fall inside it.`;
}

function freshLink(ctx: ActionContext, dueAt: string | null): string {
  const token = issueActionToken(
    ctx.secret,
    { sub: ctx.person.id, cyc: ctx.cycle.id, act: 'schedule-check-in', stp: ctx.claims.stp },
    { ttlSeconds: linkLifetimeSeconds('schedule-check-in', { policy: ctx.policy, dueAt, now: ctx.now }), now: ctx.now },
  );
  return token; // relative to this page, like the form actions
}

const ORDINALS = ['first', 'second', 'third', 'fourth'];
const ordinal = (n: number | null) => (n ? (ORDINALS[n - 1] ?? `number ${n}`) : 'next');

/** When and how the pair agreed to meet: the latest expectations and the day they were acknowledged. */
async function agreement(ctx: ActionContext) {
  const e = await latestExpectations(ctx.db, ctx.cycle.id);
  if (!e) return null;
  const acknowledgedAt = await expectationsAcknowledgedAt(ctx.db, e.id);
  return { cadenceDays: e.meeting_cadence_days, localTime: e.meeting_local_time, anchorMs: (acknowledgedAt ?? ctx.now).getTime() };
}

export const scheduleCheckIn: ActionModule = {
  act: 'schedule-check-in',
  roles: ['mentor', 'mentee'],
  singleUse: true,
  fields: {
    intent: { type: 'string', maxLength: 20, enum: ['schedule', 'cancel'] },
    slot: { type: 'string', maxLength: 40 },
    other_start: { type: 'string', maxLength: 40 },
  },
  title: (ctx) => `Your ${ordinal(checkInNumber(ctx.claims.stp))} check-in with ${ctx.partner.name}`,

  async render(ctx, form) {
    const n = checkInNumber(ctx.claims.stp);
    const view = await readCycleView(ctx);
    const step = stepOf(view, ctx.claims.stp);
    if (!view || !step || n === null)
      return html`<div class="notice error"><p>The schedule cannot be shown right now. Please try this link again in a few minutes.</p></div>`;
    const zone = ctx.person.timeZone;
    if (step.state !== 'open' && step.state !== 'planned') {
      return html`<p>This check-in is ${step.state === 'cancelled' ? 'cancelled' : 'already finished'}; there is nothing to schedule.${step.meeting ? html` It was set for ${momentIn(step.meeting.startsAt, zone)}.` : ''}</p>`;
    }
    const booked = step.meeting ? Date.parse(step.meeting.startsAt) : null;
    const agreed = await agreement(ctx);
    // The agreed local time is the mentee's (the pair meets in the mentee's zone); the offer is shown in the reader's.
    const pairZone = ctx.person.role === 'mentee' ? ctx.person.timeZone : ctx.partner.timeZone;
    const slots = agreed
      ? proposeSlots({
          policy: ctx.policy,
          zone: pairZone,
          ...agreed,
          windowOpensAt: Date.parse(step.opensAt),
          windowDueAt: Date.parse(step.dueAt),
          nowMs: ctx.now.getTime(),
          bookedStartsAt: booked,
          count: 4,
        })
      : [];
    const current =
      step.meeting && step.phase === 'scheduled'
        ? html`<p>The check-in is booked for <strong>${momentIn(step.meeting.startsAt, zone)}</strong>.</p>`
        : step.phase === 'missed'
          ? html`<p>The last meeting did not take place; please pick a new time.</p>`
          : html`<p>No time is booked yet.</p>`;
    const values =
      form.values.slot || form.values.other_start ? form : { ...form, values: { slot: slots[0] ? new Date(slots[0].startsAt).toISOString() : 'other' } };
    return html`${current}
<p>Choose a time that suits you both. ${windowSentence(ctx, step, n)} Both of you get the calendar invitation. Times are in your time zone, ${zone}.</p>
<form method="post" action="${ctx.formAction}" novalidate>
<input type="hidden" name="intent" value="schedule">
${radioGroup(values, {
  name: 'slot',
  legend: step.meeting ? 'Move the meeting to' : 'Meet on',
  hint: agreed ? 'At your agreed cadence and time.' : undefined,
  options: [
    ...slots.map((s) => ({ value: new Date(s.startsAt).toISOString(), label: momentIn(s.startsAt, zone) })),
    { value: 'other', label: 'Another time (below)' },
  ],
})}
${textField(values, { name: 'other_start', label: 'Another time', hint: `Date and time in ${zone}, for example 2026-12-03T14:30. A time here is used instead of the choices above.`, type: 'datetime-local', required: false })}
<div class="actions"><button type="submit">${step.meeting ? 'Move the meeting' : 'Book this time'}</button></div>
</form>
${
  step.meeting && step.phase === 'scheduled'
    ? html`<form method="post" action="${ctx.formAction}"><input type="hidden" name="intent" value="cancel"><h2>Cancel the meeting</h2><p>The invitation is withdrawn for both of you and the check-in waits for a new time.</p><button type="submit" class="danger">Cancel the meeting</button></form>`
    : ''
}`;
  },

  async submit(ctx, body) {
    const n = checkInNumber(ctx.claims.stp);
    if (n === null) return { status: 'rejected', reason: 'This link does not name a check-in.' };
    const actor = { role: ctx.person.role, personId: ctx.person.id };
    if (body.intent === 'cancel') {
      const result = await runUpdate(ctx, cancelCheckInUpdate, { actor, checkIn: n });
      if (result.ok) {
        // This link is spent; the next time is picked with a new one, made here for the same person and check-in.
        const again = freshLink(ctx, stepOf(result.view, ctx.claims.stp)?.dueAt ?? null);
        return {
          status: 'done',
          outcome: 'cancelled',
          message: html`<p>The meeting is cancelled; ${ctx.partner.name} has been told and the calendar invitation withdrawn.</p><p><a class="button" href="${again}">Pick a new time</a></p><p class="hint">Keep this page or the link if you want to choose later.</p>`,
        };
      }
      return 'rejected' in result ? { status: 'rejected', reason: result.rejected } : { status: 'unknown', reason: result.unknown };
    }
    const errors: FieldError[] = [];
    let startsAt: number | null = null;
    // A time typed into "another time" wins over the radio buttons: whoever typed it meant it.
    const typed = body.other_start?.trim() ?? '';
    if (!body.slot || body.slot === 'other' || typed !== '') {
      if (typed === '')
        errors.push({
          field: body.slot === 'other' ? 'other_start' : 'slot',
          message: body.slot === 'other' ? 'Enter the date and time of the meeting.' : 'Choose a time to meet.',
        });
      else {
        startsAt = instantFromLocalInput(typed, ctx.person.timeZone);
        if (startsAt === null) errors.push({ field: 'other_start', message: 'Enter the date and time as YYYY-MM-DDTHH:MM, for example 2026-12-03T14:30.' });
      }
    } else {
      startsAt = Date.parse(body.slot);
      if (Number.isNaN(startsAt)) errors.push({ field: 'slot', message: 'Choose one of the times offered, or another time.' });
    }
    if (errors.length > 0 || startsAt === null) return { status: 'invalid', errors };
    if (startsAt <= ctx.now.getTime())
      return { status: 'invalid', errors: [{ field: typed !== '' ? 'other_start' : 'slot', message: 'The meeting must be in the future.' }] };
    const endsAt = startsAt + meetingLengthMs(ctx.policy);
    // The window is the workflow's to hold (its refusal names it): no second read of the cycle here.
    const result = await runUpdate(ctx, scheduleCheckInUpdate, {
      actor,
      checkIn: n,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
    });
    if (result.ok) {
      // The booked time as the workflow holds it: a repeat of this link returns the first booking, not this form's.
      const booked = stepOf(result.view, ctx.claims.stp)?.meeting?.startsAt ?? new Date(startsAt).toISOString();
      return {
        status: 'done',
        outcome: `scheduled:${booked}`,
        message: html`<p>Booked: <strong>${momentIn(booked, ctx.person.timeZone)}</strong>. You and ${ctx.partner.name} will each get a calendar invitation, with a link to move it if plans change.</p>`,
      };
    }
    return 'rejected' in result ? { status: 'rejected', reason: result.rejected } : { status: 'unknown', reason: result.unknown };
  },

  describeUse: (ctx, use) => {
    if (use.outcome === 'cancelled') return html`You cancelled this meeting on ${dayIn(use.usedAt, ctx.person.timeZone)}.`;
    const at = use.outcome.startsWith('scheduled:') ? use.outcome.slice('scheduled:'.length) : null;
    return html`You already booked this check-in${at ? html` for ${momentIn(at, ctx.person.timeZone)}` : ''}. To move it again, use the link in the newest calendar invitation.`;
  },
};
