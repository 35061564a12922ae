/**
 * respond-expectations (mentee): the expectations the mentor shared, then either "I
 * acknowledge them" or a question sent back to the mentor. Reading the page does not use
 * the link; answering does.
 */
import { acknowledgeExpectationsUpdate, questionExpectationsUpdate } from '../../../workflows/definitions.ts';
import { html, type Html } from '../../html.ts';
import type { ActionModule } from '../action-module.ts';
import { requireText, textArea } from '../form-fields.ts';
import { dayIn } from '../pages.ts';
import { runUpdate, saveThenUpdate } from '../run-update.ts';
import { deleteExpectationResponse, insertExpectationResponse, latestExpectations } from '../../../stores/participant-content-store.ts';

const MESSAGE_MAX = 4000;
const FORMAT_WORDS: Record<string, string> = { 'in-person': 'In person', video: 'Video call', hybrid: 'In person or by video' };

function cadenceInWords(days: number): string {
  if (days === 7) return 'Every week';
  if (days === 14) return 'Every two weeks';
  if (days % 7 === 0) return `Every ${days / 7} weeks`;
  return days === 1 ? 'Every day' : `Every ${days} days`;
}

/** The expectations as the mentee reads them. */
export function expectationsSummary(e: NonNullable<Awaited<ReturnType<typeof latestExpectations>>>, zone: string): Html {
  return html`<dl class="summary">
<dt>How often</dt><dd>${cadenceInWords(e.meeting_cadence_days)}</dd>
<dt>How</dt><dd>${FORMAT_WORDS[e.meeting_format] ?? e.meeting_format}</dd>
${e.meeting_location ? html`<dt>Where</dt><dd>${/^https:\/\/\S+$/i.test(e.meeting_location) ? html`<a href="${e.meeting_location}" rel="noopener noreferrer">${e.meeting_location}</a>` : e.meeting_location}</dd>` : ''}
<dt>Usual time</dt><dd>${e.meeting_local_time} (${zone})</dd>
<dt>Replies</dt><dd>${e.response_time_norms}</dd>
<dt>Work-life boundaries</dt><dd>${e.work_life_boundaries}</dd>
<dt>During leave or travel</dt><dd>${e.leave_contingencies}</dd>
${e.other_expectations ? html`<dt>Also</dt><dd>${e.other_expectations}</dd>` : ''}
</dl>`;
}

export const respondExpectations: ActionModule = {
  act: 'respond-expectations',
  roles: ['mentee'],
  singleUse: true,
  fields: {
    response: { type: 'string', maxLength: 20, enum: ['acknowledge', 'question'] },
    message: { type: 'string', maxLength: 10_000 },
  },
  title: (ctx) => `Expectations from ${ctx.partner.name}`,

  async render(ctx, form) {
    const e = await latestExpectations(ctx.db, ctx.cycle.id);
    if (!e) return html`<p>${ctx.partner.name} has not shared the expectations yet. You will get an email when they do.</p>`;
    return html`<p>${ctx.partner.name} shared these on ${dayIn(e.created_at, ctx.person.timeZone)}${e.version > 1 ? ` (revised version ${e.version})` : ''}. Read them, then acknowledge them or ask about anything that does not fit — raising a difference now is part of the process, not a complaint.</p>
<section class="card" aria-label="The expectations">${expectationsSummary(e, ctx.person.timeZone)}</section>
<form method="post" action="${ctx.formAction}">
<input type="hidden" name="response" value="acknowledge">
<h2>They work for me</h2>
<button type="submit">I acknowledge these expectations</button>
</form>
<form method="post" action="${ctx.formAction}" novalidate>
<input type="hidden" name="response" value="question">
<h2>I have questions</h2>
${textArea(form, { name: 'message', label: `Your questions for ${ctx.partner.name}`, hint: `${ctx.partner.name} reads this and revises the expectations.`, maxLength: MESSAGE_MAX, rows: 5 })}
<button type="submit" class="secondary">Send my questions</button>
</form>`;
  },

  async submit(ctx, body) {
    const questioning = body.response === 'question';
    if (!questioning && body.response !== 'acknowledge')
      return { status: 'invalid', errors: [{ field: 'message', message: 'Choose whether to acknowledge the expectations or ask a question.' }] };
    const errors: { field: string; message: string }[] = [];
    const message = questioning ? requireText(body, errors, 'message', 'your questions', MESSAGE_MAX) : null;
    if (errors.length > 0) return { status: 'invalid', errors };
    const e = await latestExpectations(ctx.db, ctx.cycle.id);
    if (!e) return { status: 'rejected', reason: 'There are no shared expectations waiting for your answer yet.' };
    const actor = { role: 'mentee' as const, personId: ctx.person.id };
    return saveThenUpdate(ctx, {
      save: () =>
        insertExpectationResponse(ctx.db, { expectationsId: e.id, authorPersonId: ctx.person.id, kind: questioning ? 'questioned' : 'acknowledged', message }),
      update: (row) =>
        questioning ? runUpdate(ctx, questionExpectationsUpdate, { actor, questionId: row.id }) : runUpdate(ctx, acknowledgeExpectationsUpdate, { actor }),
      undo: async (row) => {
        await deleteExpectationResponse(ctx.db, row.id);
      },
      done: () =>
        questioning
          ? {
              status: 'done',
              outcome: 'questioned',
              message: html`<p>Your questions have gone to ${ctx.partner.name}, who has been asked to revise the expectations. You will get an email when the new version is ready.</p>`,
            }
          : {
              status: 'done',
              outcome: 'acknowledged',
              message: html`<p>Thank you — you acknowledged ${ctx.partner.name}’s expectations. The quarterly check-ins come next; you will get an invitation for the first one.</p>`,
            },
    });
  },

  describeUse: (ctx, use) =>
    use.outcome === 'questioned'
      ? html`You sent questions about these expectations on ${dayIn(use.usedAt, ctx.person.timeZone)}. When ${ctx.partner.name} shares a revised version, your email will have a new link.`
      : html`You already acknowledged these expectations on ${dayIn(use.usedAt, ctx.person.timeZone)}.`,

  // The expectations stay readable from a used link: reading changes nothing.
  async usedView(ctx) {
    const e = await latestExpectations(ctx.db, ctx.cycle.id);
    return e
      ? html`<h2>The expectations${e.version > 1 ? ` (version ${e.version})` : ''}</h2><section class="card">${expectationsSummary(e, ctx.person.timeZone)}</section>`
      : html``;
  },
};
