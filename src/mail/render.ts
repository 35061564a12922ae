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

export { safeSubject } from './header-safety.ts';
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

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
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
  const signature = `${ctx.departmentName}, mentoring program`;
  const boundary = to.role === 'mentor' || to.role === 'mentee' ? 'Nothing in this message needs an answer outside your working hours.' : null;

  const text = [
    ...draft.paragraphs,
    ...(actionUrl ? [`${draft.action!.label}: ${actionUrl}`] : []),
    ...(feedUrl ? [`Add your check-ins to your calendar (private link): ${feedUrl}`] : []),
    ...(helpUrl ? [`${helpLine}\n${helpUrl}`] : []),
    `— ${signature}${boundary ? `\n${boundary}` : ''}`,
    ...(pageUrl ? [`Your mentoring page (your pairs, your name and pronouns, time away, reminders): ${pageUrl}`] : []),
  ].join('\n\n');

  const button = (url: string, label: string) =>
    `<p style="margin:1.5rem 0"><a href="${escapeHtml(url)}" style="background:#1f5fa8;color:#fff;padding:.6rem 1rem;border-radius:.3rem;text-decoration:none;display:inline-block">${escapeHtml(label)}</a></p>`;
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>' +
    '<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;line-height:1.5;max-width:40rem;color:#1b1b1b">' +
    draft.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
    (actionUrl ? button(actionUrl, draft.action!.label) : '') +
    (feedUrl ? `<p><a href="${escapeHtml(feedUrl)}">Add your check-ins to your calendar</a> (a private link; keep it to yourself).</p>` : '') +
    (helpUrl ? `<p style="border-left:3px solid #6a8f3a;padding-left:.8rem">${escapeHtml(helpLine)} <a href="${escapeHtml(helpUrl)}">Ask for help</a></p>` : '') +
    `<p style="color:#555">— ${escapeHtml(signature)}${boundary ? `<br><small>${escapeHtml(boundary)}</small>` : ''}</p>` +
    (pageUrl ? `<p style="color:#555;font-size:.9em"><a href="${escapeHtml(pageUrl)}">Your mentoring page</a>: your pairs, your name and pronouns, time away, how reminders reach you.</p>` : '') +
    '</body></html>';

  return { subject: safeSubject(draft.subject), text: text + '\n', html };
}

export function renderMessage(kind: MessageKind, ctx: TemplateContext, options: RenderOptions): RenderedMessage {
  const template = MESSAGE_TEMPLATES[kind];
  if (!template) throw new Error(`no message template for kind "${kind}"`);
  return layOut(template(ctx), ctx, options);
}
