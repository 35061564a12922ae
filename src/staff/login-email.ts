/**
 * The sign-in email, sent through the outbox like every other message (one row per link,
 * recorded before sending; a refused address is marked as for any recipient).
 */
import { randomInt } from 'node:crypto';
import type { MailContent, OutboxDeps, DeliveryResult } from '../mail/outbox.ts';
import { deliver } from '../mail/outbox.ts';
import { escapeHtml, safeSubject } from '../mail/render.ts';

export const LOGIN_EMAIL_KIND = 'staff-login';

export function renderLoginEmail(options: { name: string; departmentName: string; url: string; minutes: number }): MailContent {
  const paragraphs = [
    `Dear ${options.name},`,
    `Use this link to sign in to Tandem for ${options.departmentName}. It works once, for ${options.minutes} minutes.`,
    `If you did not ask to sign in, ignore this message: nobody can sign in without the link.`,
  ];
  const signature = `— Tandem, for ${options.departmentName}`;
  return {
    subject: safeSubject(`Your Tandem sign-in link`),
    text: [paragraphs[0], paragraphs[1], `Sign in: ${options.url}`, paragraphs[2], signature].join('\n\n') + '\n',
    html:
      '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem">' +
      paragraphs.slice(0, 2).map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
      `<p style="margin:1.5rem 0"><a href="${escapeHtml(options.url)}" style="background:#1f5fa8;color:#fff;padding:.6rem 1rem;border-radius:.3rem;text-decoration:none;display:inline-block">Sign in to Tandem</a></p>` +
      `<p>${escapeHtml(paragraphs[2]!)}</p><p style="color:#555">${escapeHtml(signature)}</p></body></html>`,
  };
}

export async function sendLoginEmail(
  deps: OutboxDeps,
  to: { email: string; name: string },
  content: MailContent,
): Promise<DeliveryResult> {
  return deliver(
    deps,
    // Each link is its own message: a random sequence keeps the outbox key unique per request.
    { cycleId: null, step: null, kind: LOGIN_EMAIL_KIND, sequence: randomInt(1, 2 ** 31 - 1), recipient: { personId: null, email: to.email, name: to.name, role: 'coordinator' } },
    () => content,
  );
}
