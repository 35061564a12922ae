/**
 * Rendering a message for one reader. Text and HTML from the same words; every value a
 * person typed is HTML-escaped in the body and kept out of headers (see header-safety.ts).
 * Every copy to a mentee ends with a confidential way to reach department resources.
 */
import type { MessageKind } from '../activities/types.ts';
import type { LinkIssuer } from './action-links.ts';
import { MESSAGE_TEMPLATES } from './templates/index.ts';
import type { MessageDraft, TemplateContext } from './templates/common.ts';
import { safeSubject } from './header-safety.ts';
import { escapeHtml, htmlButton, htmlMail, htmlParagraphs, htmlSignature, programSignature, textMail } from './layout.ts';

export { safeSubject } from './header-safety.ts';
export { escapeHtml } from './layout.ts';
export type { Person as Recipient } from './templates/common.ts';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export interface RenderOptions {
  links: LinkIssuer;
  /** The department's resources, named in the mentee's help line. */
  helpResources: { name: string }[];
  /** Offer the private calendar feed (check-in messages). */
  calendarFeed?: boolean;
}

function isParticipantRole(role: string): boolean {
  return role === 'mentor' || role === 'mentee';
}

export function knownMessageKinds(): string[] {
  return Object.keys(MESSAGE_TEMPLATES);
}

function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** Lays a draft out as text and HTML, with its action button, help line and signature. */
export function layOut(draft: MessageDraft, ctx: TemplateContext, options: RenderOptions): RenderedMessage {
  const to = ctx.to;
  const actionUrl = draft.action && to.personId ? options.links.action(to.personId, draft.action.act, draft.action.step) : null;
  const feedUrl = options.calendarFeed && to.personId ? options.links.calendarFeed(to.personId) : null;
  const helpUrl = to.role === 'mentee' && to.personId ? options.links.action(to.personId, 'request-help') : null;
  // Every participant's copy ends with their own page: all their pairs, name, time away, digests.
  const pageUrl = isParticipantRole(to.role) && to.personId ? options.links.myMentoring(to.personId) : null;
  const helpLine = `Need help with your mentoring? You can reach ${listNames(options.helpResources.map((r) => r.name))} confidentially — your mentor is not told.`;
  const signature = programSignature(ctx.departmentName);
  const boundary = to.role === 'mentor' || to.role === 'mentee' ? 'Nothing in this message needs an answer outside your working hours.' : null;

  const text = textMail([
    ...draft.paragraphs,
    ...(actionUrl ? [`${draft.action!.label}: ${actionUrl}`] : []),
    ...(feedUrl ? [`Add your check-ins to your calendar (private link): ${feedUrl}`] : []),
    ...(helpUrl ? [`${helpLine}\n${helpUrl}`] : []),
    `${signature}${boundary ? `\n${boundary}` : ''}`,
    ...(pageUrl ? [`Your mentoring page (your pairs, your name and pronouns, time away, reminders): ${pageUrl}`] : []),
  ]);

  const html = htmlMail(
    htmlParagraphs(draft.paragraphs) +
      (actionUrl ? htmlButton(actionUrl, draft.action!.label) : '') +
      (feedUrl ? `<p><a href="${escapeHtml(feedUrl)}">Add your check-ins to your calendar</a> (a private link; keep it to yourself).</p>` : '') +
      (helpUrl
        ? `<p style="border-left:3px solid #6a8f3a;padding-left:.8rem">${escapeHtml(helpLine)} <a href="${escapeHtml(helpUrl)}">Ask for help</a></p>`
        : '') +
      htmlSignature(signature, boundary) +
      (pageUrl
        ? `<p style="color:#555;font-size:.9em"><a href="${escapeHtml(pageUrl)}">Your mentoring page</a>: your pairs, your name and pronouns, time away, how reminders reach you.</p>`
        : ''),
  );

  return { subject: safeSubject(draft.subject), text, html };
}

export function renderMessage(kind: MessageKind, ctx: TemplateContext, options: RenderOptions): RenderedMessage {
  const template = MESSAGE_TEMPLATES[kind];
  if (!template) throw new Error(`no message template for kind "${kind}"`);
  return layOut(template(ctx), ctx, options);
}
