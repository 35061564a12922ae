/**
 * check-in-outcome (mentor or mentee): one click, "we met" or "we did not". A missed
 * meeting asks both for a new time (the workflow sends that email with its own link).
 * Opening the page records nothing: link scanners in mail systems follow GET links.
 */
import { recordCheckInOutcomeUpdate } from '../../../workflows/definitions.ts';
import { html } from '../../html.ts';
import type { ActionModule } from '../action-module.ts';
import { readCycleView, stepOf } from '../cycle-view.ts';
import { checkInNumber } from '../../../domain/step-id.ts';
import { dayIn, momentIn } from '../pages.ts';
import { runUpdate } from '../run-update.ts';

export const checkInOutcome: ActionModule = {
  act: 'check-in-outcome',
  roles: ['mentor', 'mentee'],
  singleUse: true,
  fields: { outcome: { type: 'string', maxLength: 10, enum: ['held', 'missed'] } },
  title: (ctx) => `Did you meet ${ctx.partner.name}?`,

  async render(ctx) {
    const step = stepOf(await readCycleView(ctx), ctx.claims.stp);
    if (step && step.state !== 'open')
      return html`<p>This check-in is ${step.state === 'planned' ? 'not open yet' : 'already closed'}; there is nothing to record.</p>`;
    const when = step?.meeting ? html` planned for <strong>${momentIn(step.meeting.startsAt, ctx.person.timeZone)}</strong>` : '';
    return html`<p>Your check-in with ${ctx.partner.name}${when}: did it take place? One click is all we need.</p>
<form method="post" action="${ctx.formAction}" class="actions">
<button type="submit" name="outcome" value="held">Yes, we met</button>
<button type="submit" name="outcome" value="missed" class="secondary">No, we did not meet</button>
</form>`;
  },

  async submit(ctx, body) {
    const n = checkInNumber(ctx.claims.stp);
    if (n === null) return { status: 'rejected', reason: 'This link does not name a check-in.' };
    const outcome = body.outcome;
    if (outcome !== 'held' && outcome !== 'missed') return { status: 'invalid', errors: [{ field: 'outcome', message: 'Choose whether you met or not.' }] };
    const result = await runUpdate(ctx, recordCheckInOutcomeUpdate, { actor: { role: ctx.person.role, personId: ctx.person.id }, checkIn: n, outcome });
    if (result.ok) {
      return {
        status: 'done',
        outcome,
        message:
          outcome === 'held'
            ? html`<p>Thank you — the check-in is recorded as held.</p>`
            : html`<p>Recorded: the meeting did not take place. You and ${ctx.partner.name} will get an email to pick a new time.</p>`,
      };
    }
    return 'rejected' in result ? { status: 'rejected', reason: result.rejected } : { status: 'unknown', reason: result.unknown };
  },

  describeUse: (ctx, use) =>
    use.outcome === 'held'
      ? html`You already told us on ${dayIn(use.usedAt, ctx.person.timeZone)} that this check-in took place.`
      : html`You already told us on ${dayIn(use.usedAt, ctx.person.timeZone)} that this check-in did not take place; the email asking for a new time has a fresh link.`,
};
