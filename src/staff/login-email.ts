/**
 * The sign-in email, sent through the outbox like every other message (one row per link,
 * recorded before sending; a refused address is marked as for any recipient).
 */
import { randomInt } from 'node:crypto';
import type { MailContent, OutboxDeps, DeliveryResult } from '../mail/outbox.ts';
import { deliver } from '../mail/outbox.ts';
import { htmlButton, htmlMail, htmlParagraphs, htmlSignature, textMail, toolSignature } from '../mail/layout.ts';
import { safeSubject } from '../mail/render.ts';

export const LOGIN_EMAIL_KIND = 'staff-login';

export function renderLoginEmail(options: { name: string; departmentName: string; url: string; minutes: number }): MailContent {
  const paragraphs = [
    `Dear ${options.name},`,
    `Use this link to sign in to Tandem for ${options.departmentName}. It works once, for ${options.minutes} minutes.`,
    `If you did not ask to sign in, ignore this message: nobody can sign in without the link.`,
  ];
  const signature = toolSignature(options.departmentName);
  return {
    subject: safeSubject(`Your Tandem sign-in link`),
    text: textMail([paragraphs[0]!, paragraphs[1]!, `Sign in: ${options.url}`, paragraphs[2]!, signature]),
    html: htmlMail(
      htmlParagraphs(paragraphs.slice(0, 2)) + htmlButton(options.url, 'Sign in to Tandem') + htmlParagraphs(paragraphs.slice(2)) + htmlSignature(signature),
    ),
  };
}

export async function sendLoginEmail(deps: OutboxDeps, to: { email: string; name: string }, content: MailContent): Promise<DeliveryResult> {
  return deliver(
    deps,
    // Each link is its own message: a random sequence keeps the outbox key unique per request.
    {
      cycleId: null,
      step: null,
      kind: LOGIN_EMAIL_KIND,
      sequence: randomInt(1, 2 ** 31 - 1),
      recipient: { personId: null, email: to.email, name: to.name, role: 'coordinator' },
    },
    () => content,
  );
}
