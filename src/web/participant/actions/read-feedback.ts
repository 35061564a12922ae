/**
 * read-feedback (mentor and mentee): the other side's formative feedback, once released —
 * both submitted, or the window closed. Read-only; each opening is written to the audit log.
 *
 * A mentor reads the mentee's words (what helped, what could change) and never the
 * mentee's ratings: those reach the department only aggregated across mentees. A mentee
 * reads the mentor's ratings and words, never the mentor's private reflection.
 */
import { itemsRatedBy } from '../../../evaluation/competency-framework.ts';
import { formativePart } from '../../../evaluation/feedback-content.ts';
import { feedbackStanding } from '../../../evaluation/feedback-release.ts';
import { readFeedback } from '../../../stores/participant-content-store.ts';
import { ratingLabel } from '../../../evaluation/rating-scale.ts';
import { frameworkOf } from '../../../domain/policy.ts';
import { html } from '../../html.ts';
import type { ActionModule } from '../action-module.ts';

export const readFeedbackPage: ActionModule = {
  act: 'read-feedback',
  roles: ['mentor', 'mentee'],
  singleUse: false,
  fields: {},
  title: (ctx) => `${ctx.partner.name}’s feedback`,

  async render(ctx) {
    const standing = await feedbackStanding(ctx.db, ctx.cycle.id);
    if (!standing.released) {
      const theirs = standing.submitted.includes(ctx.partner.role)
        ? `${ctx.partner.name} has given their feedback`
        : `${ctx.partner.name} has not given their feedback yet`;
      const mine = standing.submitted.includes(ctx.person.role) ? 'you have given yours' : 'you have not given yours yet';
      return html`<div class="notice"><p>Not yet: each of you reads the other’s feedback once you have both given it or the feedback window closes. ${theirs}; ${mine}.</p></div>`;
    }
    const [theirs] = await readFeedback(
      ctx.db,
      ctx.dataKey,
      { cycleIds: [ctx.cycle.id], role: ctx.partner.role },
      {
        actor: { kind: 'participant', id: ctx.person.id, role: ctx.person.role },
        action: 'read-feedback',
        reason: 'participant reads the released feedback of their pair',
      },
    );
    if (!theirs) return html`<div class="notice"><p>${ctx.partner.name} did not give feedback this year.</p></div>`;
    const shared = formativePart(theirs.authorRole, theirs.content);
    const framework = frameworkOf(ctx.policy);
    const words = html`<h2>In ${ctx.partner.name}’s words</h2>
<dl class="summary">
<dt>${ctx.person.role === 'mentor' ? 'What helped' : 'What went well'}</dt><dd>${shared.whatHelped || '—'}</dd>
<dt>What could change next year</dt><dd>${shared.couldChange || '—'}</dd>
</dl>`;
    if (shared.ratings === null) {
      return html`${words}
<p class="hint">${ctx.partner.name}’s ratings of your mentoring are confidential: they reach the department only averaged with those of other mentees, and are never shown to you one by one.</p>`;
    }
    const ratings = shared.ratings;
    return html`${words}
<h2>${ctx.partner.name}’s ratings</h2>
${itemsRatedBy(framework, theirs.authorRole).map(
  ({ competency, items }) => html`<section class="card"><h3>${competency.name}</h3><dl class="summary">
${items.map((item) => html`<dt>${item.text}</dt><dd>${ratings[item.id] === undefined ? '—' : ratingLabel(ratings[item.id]!)}</dd>`)}
</dl></section>`,
)}`;
  },

  async submit() {
    return { status: 'rejected', reason: 'There is nothing to send from this page.' };
  },

  describeUse: () => html``,
};
