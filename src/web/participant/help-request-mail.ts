/**
 * The email that carries a mentee's confidential help request to the department resource
 * they chose, through the outbox (one send per request). The outbox row has no cycle and
 * the subject names no one: nothing on the cycle's record, which the mentor's side and the
 * coordinator's timeline read, shows that help was asked for. The message itself goes
 * only to the resource.
 */
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../../db/schema.ts';
import type { DepartmentResource } from '../../domain/policy.ts';
import { deliver, type DeliveryResult } from '../../mail/outbox.ts';
import { escapeHtml, htmlMail, htmlParagraphs, mailSenderName } from '../../mail/layout.ts';
import type { ActingPerson } from './action-module.ts';

export interface HelpRequestMail {
  db: Kysely<Database>;
  mailer: Transporter;
  mailFrom: string;
  departmentName: string;
}

export async function sendHelpRequest(
  deps: HelpRequestMail,
  request: { id: string; message: string; mentee: ActingPerson; mentorName: string; program: string | null; resource: DepartmentResource },
): Promise<DeliveryResult> {
  const { mentee, resource } = request;
  const who = `${mentee.fullName}${mentee.name !== mentee.fullName ? ` (goes by ${mentee.name})` : ''}${mentee.pronouns ? `, ${mentee.pronouns}` : ''}`;
  const paragraphs = [
    `Dear ${resource.name},`,
    `A mentee in the ${deps.departmentName} mentoring program has asked you for help, confidentially. Their mentor has not been told and will not be told by the program.`,
    `From: ${who} <${mentee.email}>${request.program ? `, ${request.program}` : ''}. Mentor: ${request.mentorName}.`,
    `Their message:`,
  ];
  const closing = `Please reply to ${mentee.email} directly. This request is stored only for the department's resources.`;
  return deliver(
    { db: deps.db, mailer: deps.mailer, mailFrom: deps.mailFrom, senderName: mailSenderName(deps.departmentName) },
    {
      cycleId: null,
      step: `help-request:${request.id}`,
      kind: 'help-request',
      sequence: 0,
      recipient: { personId: null, email: resource.email, name: resource.name, role: 'resource' },
    },
    () => ({
      subject: 'Confidential: a mentee asks for help',
      text: `${paragraphs.join('\n\n')}\n\n${request.message.replace(/^/gm, '> ')}\n\n${closing}\n`,
      html: htmlMail(
        htmlParagraphs(paragraphs) +
          `<blockquote style="border-left:3px solid #999;padding-left:.8rem;white-space:pre-wrap">${escapeHtml(request.message)}</blockquote>` +
          htmlParagraphs([closing]),
      ),
    }),
  );
}
