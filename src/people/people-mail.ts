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
import { escapeHtml } from '../mail/render.ts';
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
  const signature = `— ${deps.departmentName}, mentoring program`;
  const page = message.to.personId ? personalLinkUrl(deps.publicUrl, deps.secret, message.to.personId) : null;
  return deliver(
    { db: deps.db, mailer: deps.mailer, mailFrom: deps.mailFrom, senderName: `${deps.departmentName} Mentoring` },
    { cycleId: null, step: message.key, kind: message.kind, sequence: 0, recipient: message.to },
    () => ({
      subject: safeSubject(message.subject),
      text: [...message.paragraphs, signature, ...(page ? [`Your mentoring page: ${page}`] : [])].join('\n\n') + '\n',
      html:
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>' +
        '<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;line-height:1.5;max-width:40rem;color:#1b1b1b">' +
        message.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
        `<p style="color:#555">${escapeHtml(signature)}</p>` +
        (page ? `<p style="color:#555;font-size:.9em"><a href="${escapeHtml(page)}">Your mentoring page</a></p>` : '') +
        '</body></html>',
    }),
  );
}
