/**
 * give-feedback (mentor and mentee): the year's two-way feedback, structured by the
 * department's competency framework (src/evaluation/), plus free text on what helped and
 * what could change. The mentor also reflects on their own mentoring, for their evaluation
 * packet.
 *
 * What each side's answers are for is said on the page: a mentee's ratings of the mentor go
 * to the department only aggregated across several mentees, never to the mentor; their
 * written feedback reaches the mentor once both have submitted or the window closed.
 * The content is sealed in Postgres; the workflow receives the row's id only.
 */
import { itemsRatedBy } from '../../../evaluation/competency-framework.ts';
import { parseFeedbackForm, ratingField, TEXT_LIMIT } from '../../../evaluation/feedback-content.ts';
import { feedbackStanding } from '../../../evaluation/feedback-release.ts';
import { discardFeedback, saveFeedback } from '../../../stores/participant-content-store.ts';
import { RATING_CHOICES, ratingLabel } from '../../../evaluation/rating-scale.ts';
import { frameworkOf } from '../../../domain/policy.ts';
import { submitFeedbackUpdate } from '../../../workflows/definitions.ts';
import { html, trustedHtml } from '../../html.ts';
import type { ActionContext, ActionModule, FormState } from '../action-module.ts';
import { radioGroup, textArea } from '../form-fields.ts';
import { runUpdate, saveThenUpdate } from '../run-update.ts';

/** The eight answers of an item side by side (wrapping on narrow screens), not a long column. */
const RATING_STYLES = trustedHtml(
  `<style>.rating-scale .choice { display:inline-flex; margin-right:1.1rem; } .rating-scale fieldset { margin-top:.75rem; }</style>`,
);

function intro(ctx: ActionContext) {
  if (ctx.person.role === 'mentee') {
    return html`<p>Tell ${ctx.partner.name} what helped this year and what could change, and rate how well the mentoring met the department’s competencies.</p>
<div class="notice"><p><strong>Who sees what.</strong> Your written feedback goes to ${ctx.partner.name} once you have both submitted or the feedback window closes. Your <strong>ratings are confidential</strong>: ${ctx.partner.name} never sees them, and the department sees them only averaged with the ratings of at least ${ctx.policy.anonymityThreshold} mentees — if there are fewer, they wait, pooled with later years.</p></div>`;
  }
  return html`<p>Give ${ctx.partner.name} structured feedback on the year: rate the items below, say what went well and what could change. ${ctx.partner.name} reads it once you have both submitted or the feedback window closes.</p>
<div class="notice"><p>At the end there is space to reflect on your own mentoring this year. Your reflection is not shown to ${ctx.partner.name}; it goes into your evaluation packet for the department.</p></div>`;
}

export const giveFeedback: ActionModule = {
  act: 'give-feedback',
  roles: ['mentor', 'mentee'],
  singleUse: true,
  fields: {
    whatHelped: { type: 'string', maxLength: TEXT_LIMIT * 2 },
    couldChange: { type: 'string', maxLength: TEXT_LIMIT * 2 },
    reflection: { type: 'string', maxLength: TEXT_LIMIT * 2 },
  },
  fieldPatterns: { '^rating\\.[a-z0-9][a-z0-9-]{0,62}$': { type: 'string', maxLength: 2 } },
  title: (ctx) => `Your feedback for ${ctx.partner.name}`,

  async render(ctx, form: FormState) {
    const standing = await feedbackStanding(ctx.db, ctx.cycle.id);
    if (standing.submitted.includes(ctx.person.role)) {
      return html`<div class="notice success"><p>You have already given your feedback for this year. Thank you.</p></div>`;
    }
    const closed = html`<div class="notice"><p>The feedback window for this year has closed, so feedback can no longer be given.</p></div>`;
    // A refused submission still shows what was typed, so nothing is lost; a fresh visit just says it is closed.
    if (standing.released && Object.keys(form.values).length === 0) return closed;
    const framework = frameworkOf(ctx.policy);
    const options = RATING_CHOICES.map((r) => ({ value: String(r), label: ratingLabel(r) }));
    const about = ctx.person.role === 'mentee' ? 'your mentor' : ctx.partner.name;
    return html`${RATING_STYLES}${standing.released ? closed : intro(ctx)}
<form method="post" action="${ctx.formAction}" novalidate>
${framework.groups.map(
  (group) => html`<h2>${group.name}</h2>
${itemsRatedBy(framework, ctx.person.role)
  .filter((c) => c.group.id === group.id)
  .map(
    ({
      competency,
      items,
    }) => html`<section class="card" aria-labelledby="competency-${competency.id}"><h3 id="competency-${competency.id}">${competency.name}</h3>
${items.map((item) => html`<div class="rating-scale">${radioGroup(form, { name: ratingField(item.id), legend: item.text, hint: `How far this was true of ${about}: 1 “not at all” to 7 “extremely”.`, options })}</div>`)}
</section>`,
  )}`,
)}
<h2>In your own words</h2>
${textArea(form, { name: 'whatHelped', label: ctx.person.role === 'mentee' ? `What in ${ctx.partner.name}’s mentoring helped you this year` : `What went well in ${ctx.partner.name}’s year`, required: false, maxLength: TEXT_LIMIT })}
${textArea(form, { name: 'couldChange', label: 'What could change next year', required: false, maxLength: TEXT_LIMIT })}
${
  ctx.person.role === 'mentor'
    ? textArea(form, {
        name: 'reflection',
        label: 'Your reflection on your own mentoring this year',
        hint: `Not shown to ${ctx.partner.name}; it goes into your evaluation packet.`,
        required: false,
        maxLength: TEXT_LIMIT,
      })
    : ''
}
<div class="actions"><button type="submit">Submit your feedback</button></div>
</form>`;
  },

  async submit(ctx, body) {
    const standing = await feedbackStanding(ctx.db, ctx.cycle.id);
    // Never overwrite feedback the workflow already accepted.
    if (standing.submitted.includes(ctx.person.role)) return { status: 'rejected', reason: 'You have already submitted your feedback for this year.' };
    const parsed = parseFeedbackForm(frameworkOf(ctx.policy), ctx.person.role, body);
    if (!parsed.ok)
      return {
        status: 'invalid',
        errors: parsed.problems.map((p) => ({ field: p.field, message: `${p.field.startsWith('rating.') ? 'This item' : 'This answer'}: ${p.reason}.` })),
      };
    const key = ctx.dataKey;
    return saveThenUpdate(ctx, {
      save: () => saveFeedback(ctx.db, key, { cycleId: ctx.cycle.id, authorPersonId: ctx.person.id, authorRole: ctx.person.role, content: parsed.content }),
      update: (feedbackId) => runUpdate(ctx, submitFeedbackUpdate, { actor: { role: ctx.person.role, personId: ctx.person.id }, feedbackId }),
      undo: (feedbackId) => discardFeedback(ctx.db, feedbackId),
      done: (_id, view) => {
        const both = view.steps.find((s) => s.id === 'feedback')?.submitted.length === 2;
        return {
          status: 'done',
          outcome: 'submitted',
          message: html`<p>Thank you — your feedback is in.</p><p>${both ? `You can both read each other’s feedback now; we have emailed you a link.` : `${ctx.partner.name} will be able to read it once they have given theirs or the feedback window closes.`}</p>`,
        };
      },
    });
  },

  describeUse: () => html`You already gave your feedback for this year with this link.`,
};
