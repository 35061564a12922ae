/**
 * update-goals (mentee): the individual development plan re-visit — training goals, career
 * goals, and the support they need. Starts from their last version; each update is a new
 * row the mentor is then asked to review.
 */
import { updateTrainingGoalsUpdate } from '../../../workflows/definitions.ts';
import { html } from '../../html.ts';
import type { ActionContext, ActionModule, FieldError } from '../action-module.ts';
import { requireText, textArea } from '../form-fields.ts';
import { dayIn } from '../pages.ts';
import { runUpdate, saveThenUpdate } from '../run-update.ts';
import { deleteTrainingGoals, insertTrainingGoals, latestTrainingGoals } from '../../../stores/participant-content-store.ts';

const LONG = 6000;

export async function latestGoals(ctx: ActionContext) {
  return latestTrainingGoals(ctx.db, ctx.cycle.id);
}

export const updateGoals: ActionModule = {
  act: 'update-goals',
  roles: ['mentee'],
  singleUse: true,
  fields: {
    training_goals: { type: 'string', maxLength: 20_000 },
    career_goals: { type: 'string', maxLength: 20_000 },
    support_needed: { type: 'string', maxLength: 20_000 },
  },
  title: () => 'Update your training and career goals',

  async render(ctx, form) {
    const last = await latestGoals(ctx);
    const values =
      form.errors.length || form.notice || !last
        ? form
        : { ...form, values: { training_goals: last.training_goals, career_goals: last.career_goals, support_needed: last.support_needed ?? '' } };
    return html`<p>Take stock of where you are and where you want to go. ${ctx.partner.name} reads this and reviews it with you.${last ? html` The form starts from what you wrote on ${dayIn(last.created_at, ctx.person.timeZone)}.` : ''}</p>
${last?.mentor_review ? html`<section class="card" aria-labelledby="review-title"><h2 id="review-title">${ctx.partner.name}’s comments on your last version</h2><p class="prewrap">${last.mentor_review}</p></section>` : ''}
<form method="post" action="${ctx.formAction}" novalidate>
${textArea(values, { name: 'training_goals', label: 'Training goals', hint: 'Skills, methods, courses, milestones for this year.', maxLength: LONG, rows: 6 })}
${textArea(values, { name: 'career_goals', label: 'Career goals', hint: 'Where you want to be after your training, and what gets you there.', maxLength: LONG, rows: 6 })}
${textArea(values, { name: 'support_needed', label: `Support you need from ${ctx.partner.name}`, required: false, maxLength: LONG })}
<div class="actions"><button type="submit">Send to ${ctx.partner.name} for review</button></div>
</form>`;
  },

  async submit(ctx, body) {
    const errors: FieldError[] = [];
    const training = requireText(body, errors, 'training_goals', 'your training goals', LONG);
    const career = requireText(body, errors, 'career_goals', 'your career goals', LONG);
    const support = requireText(body, errors, 'support_needed', 'the support you need', LONG, false);
    if (errors.length > 0) return { status: 'invalid', errors };
    return saveThenUpdate(ctx, {
      save: () =>
        insertTrainingGoals(ctx.db, {
          cycleId: ctx.cycle.id,
          authorPersonId: ctx.person.id,
          trainingGoals: training!,
          careerGoals: career!,
          supportNeeded: support,
        }),
      update: (row) => runUpdate(ctx, updateTrainingGoalsUpdate, { actor: { role: 'mentee', personId: ctx.person.id }, goalsId: row.id }),
      undo: async (row) => {
        await deleteTrainingGoals(ctx.db, row.id);
      },
      done: () => ({
        status: 'done',
        outcome: 'updated',
        message: html`<p>Your goals have gone to ${ctx.partner.name}, who has been asked to review them. You will hear when they have.</p>`,
      }),
    });
  },

  describeUse: (ctx, use) => html`You already sent your updated goals to ${ctx.partner.name} on ${dayIn(use.usedAt, ctx.person.timeZone)}.`,
};
