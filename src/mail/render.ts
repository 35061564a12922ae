/**
 * Rendering a message from the catalogue for one recipient. Text and HTML from the same
 * words; every value a person typed is HTML-escaped and never reaches a header.
 */
import type { Policy } from '../domain/policy.ts';

export interface Recipient {
  personId: string | null;
  email: string;
  /** How to address them: preferred name when they gave one. */
  name: string;
  pronouns: string | null;
  role: 'mentor' | 'mentee' | 'coordinator' | 'resource';
}

export interface MessageContext {
  department: Policy['department'];
  mentor: Recipient;
  mentee: Recipient;
  publicUrl: string;
  step: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Subjects are headers: fold away anything that could start a new header line. */
export function safeSubject(subject: string): string {
  return subject.replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim().slice(0, 200);
}

type Template = (ctx: MessageContext, to: Recipient) => { subject: string; paragraphs: string[] };

const templates: Record<string, Template> = {
  'expectations-requested': (ctx, to) =>
    to.role === 'mentor'
      ? {
          subject: `Please share your expectations with ${ctx.mentee.name}`,
          paragraphs: [
            `Dear ${to.name},`,
            `A new mentoring year with ${ctx.mentee.name} has begun. The first step is yours: write down what you expect and what you commit to — how often and how you will meet, what timely replies mean for you, your work-life boundaries, and who to turn to when you are on leave or travelling.`,
            `${ctx.mentee.name} will read them and either acknowledge them or raise questions.`,
          ],
        }
      : {
          subject: `Your mentoring year with ${ctx.mentor.name} has begun`,
          paragraphs: [
            `Dear ${to.name},`,
            `A new mentoring year with ${ctx.mentor.name} has begun. ${ctx.mentor.name} has been asked to share written expectations with you: how often you will meet, response times, work-life boundaries, and contingencies for leave or travel.`,
            `When they arrive, check whether they fit your own expectations and say so — questions and differences are welcome and are best raised early.`,
          ],
        },
};

/** Until every kind has its own wording: a plain notice naming the step. */
function genericTemplate(kind: string): Template {
  return (ctx, to) => ({
    subject: `Mentoring: ${kind.replace(/-/g, ' ')} (${ctx.step})`,
    paragraphs: [`Dear ${to.name},`, `This is a notice about your mentoring year (${ctx.mentor.name} and ${ctx.mentee.name}): ${kind.replace(/-/g, ' ')}.`],
  });
}

export function knownMessageKinds(): string[] {
  return Object.keys(templates);
}

export function renderMessage(kind: string, ctx: MessageContext, to: Recipient): RenderedMessage {
  const template = templates[kind] ?? genericTemplate(kind);
  const { subject, paragraphs } = template(ctx, to);
  const signature = `— ${ctx.department.name}, mentoring program`;
  return {
    subject: safeSubject(subject),
    text: [...paragraphs, signature].join('\n\n') + '\n',
    html:
      '<!doctype html><html><body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 40rem">' +
      paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
      `<p style="color:#555">${escapeHtml(signature)}</p></body></html>`,
  };
}
