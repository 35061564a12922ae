/**
 * The short messages people's own changes cause (a new name, time away), sent from the web
 * app through the outbox like every message: one row per business key, so a double submit
 * or a retry sends nothing twice. Names are read from the caller, already as the person
 * asked; the body escapes everything.
 */
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../db/schema.ts';
import { safeSubject } from '../mail/header-safety.ts';
import { deliver, type DeliveryResult } from '../mail/outbox.ts';
import { escapeHtml, htmlMail, htmlParagraphs, htmlSignature, mailSenderName, programSignature, textMail } from '../mail/layout.ts';
import { personalLinkUrl } from '../security/personal-links.ts';

export interface PeopleMailDeps {
  db: Kysely<Database>;
  mailer: Transporter;
  mailFrom: string;
  departmentName: string;
  publicUrl: string;
  secret: string;
}

export interface PeopleMessage {
  /** Unique per message: "profile-changed:<person>:<stamp>", … */
  key: string;
  kind: string;
  to: { personId: string | null; email: string; name: string; role: string };
  subject: string;
  paragraphs: string[];
}

export async function sendPeopleMessage(deps: PeopleMailDeps, message: PeopleMessage): Promise<DeliveryResult> {
  const signature = programSignature(deps.departmentName);
  const page = message.to.personId ? personalLinkUrl(deps.publicUrl, deps.secret, message.to.personId) : null;
  return deliver(
    { db: deps.db, mailer: deps.mailer, mailFrom: deps.mailFrom, senderName: mailSenderName(deps.departmentName) },
    { cycleId: null, step: message.key, kind: message.kind, sequence: 0, recipient: message.to },
    () => ({
      subject: safeSubject(message.subject),
      text: textMail([...message.paragraphs, signature, ...(page ? [`Your mentoring page: ${page}`] : [])]),
      html: htmlMail(
        htmlParagraphs(message.paragraphs) +
          htmlSignature(signature) +
          (page ? `<p style="color:#555;font-size:.9em"><a href="${escapeHtml(page)}">Your mentoring page</a></p>` : ''),
      ),
    }),
  );
}
