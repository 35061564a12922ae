/**
 * When a coordinator changes a person's address, the old address is told (through the outbox
 * like every message): if the change was a mistake or not theirs, the person hears of it
 * at the address they still read. The message names the new address only by its domain.
 */
import { randomInt } from 'node:crypto';
import { deliver, type DeliveryResult, type OutboxDeps } from '../../mail/outbox.ts';
import { htmlMail, htmlParagraphs, htmlSignature, textMail, toolSignature } from '../../mail/layout.ts';
import { safeSubject } from '../../mail/render.ts';

export const EMAIL_CHANGED_KIND = 'person-email-changed';

export function sendEmailChangedNotice(
  deps: OutboxDeps,
  person: { id: string; name: string; oldEmail: string; newEmail: string },
  options: { departmentName: string; coordinatorName: string; coordinatorEmail: string },
): Promise<DeliveryResult> {
  const domain = person.newEmail.split('@')[1] ?? '';
  const paragraphs = [
    `Dear ${person.name},`,
    `${options.coordinatorName}, mentoring coordinator of ${options.departmentName}, has changed the address Tandem writes to for you. From now on, messages about your mentoring year go to your address at ${domain}, not to this one.`,
    `If this is not right, write to ${options.coordinatorName} at ${options.coordinatorEmail}.`,
  ];
  const signature = toolSignature(options.departmentName);
  return deliver(
    deps,
    // One notice per change: a random sequence keeps each its own outbox key.
    {
      cycleId: null,
      step: null,
      kind: EMAIL_CHANGED_KIND,
      sequence: randomInt(1, 2 ** 31 - 1),
      recipient: { personId: person.id, email: person.oldEmail, name: person.name, role: 'participant' },
    },
    () => ({
      subject: safeSubject('Your address for mentoring messages has changed'),
      text: textMail([...paragraphs, signature]),
      html: htmlMail(htmlParagraphs(paragraphs) + htmlSignature(signature)),
    }),
  );
}
