/**
 * request-help (mentee): a confidential message to one of the department's resources (the
 * policy's directory). It is stored in help_requests, sealed with the data key
 * (src/stores/participant-content-store.ts), and emailed to that resource, and goes
 * nowhere else: no Update, no cycle event, nothing the mentor or the workflow can see.
 * If the email cannot be sent right now the request is still stored, and the page gives the
 * resource's address so the mentee can write directly — we do not pretend it was delivered.
 */
import { saveHelpRequest } from '../../../stores/participant-content-store.ts';
import { html } from '../../html.ts';
import type { ActionModule, FieldError } from '../action-module.ts';
import { radioGroup, requireText, textArea } from '../form-fields.ts';
import { sendHelpRequest } from '../help-request-mail.ts';
import { dayIn } from '../pages.ts';
import { pairProgram } from '../../../stores/people-store.ts';

const MESSAGE_MAX = 6000;

export const requestHelp: ActionModule = {
  act: 'request-help',
  roles: ['mentee'],
  singleUse: true,
  afterYearEnds: true,
  fields: {
    resource: { type: 'string', maxLength: 100 },
    message: { type: 'string', maxLength: 10_000 },
  },
  title: () => 'Ask for help, confidentially',

  async render(ctx, form) {
    return html`<div class="notice"><p><strong>Your mentor is not told.</strong> Your message goes only to the office you choose, who will reply to you at ${ctx.person.email}.</p></div>
<form method="post" action="${ctx.formAction}" novalidate>
${radioGroup(form, {
  name: 'resource',
  legend: 'Who would you like to reach?',
  options: ctx.policy.resources.map((r) => ({ value: r.id, label: r.name, hint: `— ${r.role}` })),
})}
${textArea(form, { name: 'message', label: 'Your message', hint: 'Say what is happening and how they can best reach you. Write as much or as little as you like.', maxLength: MESSAGE_MAX, rows: 8 })}
<div class="actions"><button type="submit">Send confidentially</button></div>
</form>
<p class="hint">You can also write to them directly: ${ctx.policy.resources.map((r, i) => html`${i > 0 ? ', ' : ''}${r.name} (<a href="mailto:${r.email}">${r.email}</a>)`)}.</p>`;
  },

  async submit(ctx, body) {
    const errors: FieldError[] = [];
    const resource = ctx.policy.resources.find((r) => r.id === body.resource);
    if (!resource) errors.push({ field: 'resource', message: 'Choose who you would like to reach.' });
    const message = requireText(body, errors, 'message', 'your message', MESSAGE_MAX);
    if (errors.length > 0 || !resource || !message) return { status: 'invalid', errors };
    const id = await saveHelpRequest(ctx.db, ctx.dataKey, { cycleId: ctx.cycle.id, personId: ctx.person.id, resourceId: resource.id, message });
    let delivered = false;
    if (ctx.mail) {
      const result = await sendHelpRequest(
        { db: ctx.db, mailer: ctx.mail.mailer, mailFrom: ctx.mail.mailFrom, departmentName: ctx.policy.department.name },
        { id, message, mentee: ctx.person, mentorName: ctx.partner.fullName, program: await pairProgram(ctx.db, ctx.cycle.pairId), resource },
      ).catch(() => null);
      delivered = result?.outcome === 'sent' || result?.outcome === 'already-sent';
    }
    // Stored either way; the link is spent so a forwarded email cannot send more in the mentee's name.
    return delivered
      ? {
          status: 'done',
          outcome: `sent:${resource.id}`,
          message: html`<p>Your message has gone to ${resource.name}. They will reply to you at ${ctx.person.email}. Your mentor has not been told.</p>`,
        }
      : {
          status: 'done',
          outcome: `stored:${resource.id}`,
          message: html`<p>Your message is saved, but we could not email it to ${resource.name} just now. Please also write to them directly at <a href="mailto:${resource.email}">${resource.email}</a> so it is not delayed. Your mentor has not been told.</p>`,
        };
  },

  describeUse: (ctx, use) => {
    const resource = ctx.policy.resources.find((r) => r.id === use.outcome.split(':')[1]);
    return html`You sent a message${resource ? ` to ${resource.name}` : ''} with this link on ${dayIn(use.usedAt, ctx.person.timeZone)}. To write again, use the “Need help?” link at the end of any email from the program${resource ? html`, or write to ${resource.name} directly at <a href="mailto:${resource.email}">${resource.email}</a>` : ''}.`;
  },
};
