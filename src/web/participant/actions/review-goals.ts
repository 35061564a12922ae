/**
 * review-goals (mentor): read the goals the mentee updated and mark them reviewed, with an
 * optional comment kept with them. The comment is stored on the goals row it answers.
 */
import { reviewTrainingGoalsUpdate } from '../../../workflows/definitions.ts';
import { html } from '../../html.ts';
import type { ActionModule, FieldError } from '../action-module.ts';
import { requireText, textArea } from '../form-fields.ts';
import { dayIn } from '../pages.ts';
import { runUpdate, saveThenUpdate } from '../run-update.ts';
import { latestGoals } from './update-goals.ts';
import { setTrainingGoalsReview } from '../../../stores/participant-content-store.ts';

const LONG = 6000;

export const reviewGoals: ActionModule = {
  act: 'review-goals',
  roles: ['mentor'],
  singleUse: true,
  fields: { mentor_review: { type: 'string', maxLength: 20_000 } },
  title: (ctx) => `Review ${ctx.partner.name}’s goals`,

  async render(ctx, form) {
    const goals = await latestGoals(ctx);
    if (!goals) return html`<p>${ctx.partner.name} has not updated their goals yet. You will get an email when they have.</p>`;
    return html`<p>${ctx.partner.name} updated these on ${dayIn(goals.created_at, ctx.person.timeZone)}. Read them — ideally together at your next check-in — and mark them reviewed.</p>
<section class="card" aria-label="${ctx.partner.name}’s goals"><dl class="summary">
<dt>Training goals</dt><dd>${goals.training_goals}</dd>
<dt>Career goals</dt><dd>${goals.career_goals}</dd>
${goals.support_needed ? html`<dt>Support needed</dt><dd>${goals.support_needed}</dd>` : ''}
</dl></section>
<form method="post" action="${ctx.formAction}" novalidate>
${textArea(form, { name: 'mentor_review', label: `Your comments for ${ctx.partner.name}`, hint: 'What looks right, what to adjust, how you will support it.', required: false, maxLength: LONG, rows: 6 })}
<div class="actions"><button type="submit">Mark as reviewed</button></div>
</form>`;
  },

  async submit(ctx, body) {
    const errors: FieldError[] = [];
    const review = requireText(body, errors, 'mentor_review', 'your comments', LONG, false);
    if (errors.length > 0) return { status: 'invalid', errors };
    const goals = await latestGoals(ctx);
    if (!goals) return { status: 'rejected', reason: 'The mentee has not updated the training goals yet.' };
    return saveThenUpdate(ctx, {
      save: async () => {
        await setTrainingGoalsReview(ctx.db, goals.id, { mentorReview: review, reviewedAt: ctx.now });
        return { id: goals.id, previous: { mentorReview: goals.mentor_review, reviewedAt: goals.reviewed_at } };
      },
      update: () => runUpdate(ctx, reviewTrainingGoalsUpdate, { actor: { role: 'mentor', personId: ctx.person.id } }),
      undo: async (saved) => {
        await setTrainingGoalsReview(ctx.db, saved.id, saved.previous);
      },
      done: () => ({
        status: 'done',
        outcome: 'reviewed',
        message: html`<p>Thank you — the goals are marked reviewed and ${ctx.partner.name} has been told. ${review ? 'Your comments are kept with the goals, for both of you to come back to.' : ''}</p>`,
      }),
    });
  },

  describeUse: (ctx, use) => html`You already reviewed ${ctx.partner.name}’s goals on ${dayIn(use.usedAt, ctx.person.timeZone)}.`,
};
