/**
 * The message a newly added staff member gets: what they were given and how to sign in.
 * With emailed sign-in on, it carries a one-time sign-in link (the same kind as /login
 * sends); with only university sign-in, it points to the sign-in page.
 */
import type { DeliveryResult, MailContent, OutboxDeps } from '../mail/outbox.ts';
import { htmlButton, htmlMail, htmlParagraphs, htmlSignature, textMail, toolSignature } from '../mail/layout.ts';
import { safeSubject } from '../mail/render.ts';
import type { StaffRole } from '../../db/schema.ts';
import { issueLoginToken, LOGIN_LINK_TTL_SECONDS, loginLinkUrl } from './login-links.ts';
import { sendLoginEmail } from './login-email.ts';
import { areasFor } from './areas.ts';

export interface WelcomeOptions {
  secret: string;
  publicUrl: string;
  departmentName: string;
  /** Whether emailed sign-in links are on (STAFF_EMAIL_SIGN_IN). */
  emailSignIn: boolean;
  /** Whether university sign-in is configured (OIDC_ISSUER). */
  universitySignIn: boolean;
}

export function renderWelcomeEmail(staff: { id: string; name: string; roles: readonly StaffRole[] }, addedBy: string, options: WelcomeOptions): MailContent {
  const areas = areasFor(staff.roles)
    .map((a) => a.label)
    .join(', ');
  const url = options.emailSignIn ? loginLinkUrl(options.publicUrl, issueLoginToken(options.secret, staff.id)) : `${options.publicUrl}/login`;
  const how = options.emailSignIn
    ? `Use this link to sign in the first time. It works once, for ${LOGIN_LINK_TTL_SECONDS / 60} minutes; afterwards ask for a new link at ${options.publicUrl}/login${options.universitySignIn ? ', or sign in with your university account there' : ''}.`
    : `Sign in with your university account at ${options.publicUrl}/login.`;
  const paragraphs = [
    `Dear ${staff.name},`,
    `${addedBy} has added you to Tandem, the mentoring program's tool for ${options.departmentName}. Your account opens: ${areas}.`,
    how,
  ];
  const signature = toolSignature(options.departmentName);
  return {
    subject: safeSubject(`You can now sign in to Tandem for ${options.departmentName}`),
    text: textMail([...paragraphs, `Sign in: ${url}`, signature]),
    html: htmlMail(htmlParagraphs(paragraphs) + htmlButton(url, 'Sign in to Tandem') + htmlSignature(signature)),
  };
}

export function sendWelcomeEmail(
  deps: OutboxDeps,
  staff: { id: string; name: string; email: string; roles: readonly StaffRole[] },
  addedBy: string,
  options: WelcomeOptions,
): Promise<DeliveryResult> {
  return sendLoginEmail(deps, { email: staff.email, name: staff.name }, renderWelcomeEmail(staff, addedBy, options));
}
