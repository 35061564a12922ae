/**
 * "Enrollment is open" to the department's coordinators, sent by the fall rollover. It is
 * about the department, not a pair, so it stands apart from the per-pair catalogue in render.ts.
 */
import type { Policy } from '../domain/policy.ts';
import { htmlMail, htmlParagraphs, htmlSignature, textMail, toolSignature } from './layout.ts';
import { safeSubject, type RenderedMessage } from './render.ts';

export function renderEnrollmentOpen(
  department: Policy['department'],
  coordinatorName: string,
  year: string,
  counts: { continuing: number; started: number },
): RenderedMessage {
  const paragraphs = [
    `Dear ${coordinatorName},`,
    `The academic year ${year} has begun and enrollment is open. Import this year's roster of mentor–mentee pairs with "tandem enroll roster.csv" (or the enrollment API); importing the same roster twice changes nothing.`,
    `Pairs that stay enrolled carry on by themselves: ${counts.continuing} continuing cycle${counts.continuing === 1 ? '' : 's'}, and ${counts.started} active pair${counts.started === 1 ? '' : 's'} without a running cycle started into the new year.`,
  ];
  const signature = toolSignature(department.name);
  return {
    subject: safeSubject(`Mentoring enrollment for ${year} is open`),
    text: textMail([...paragraphs, signature]),
    html: htmlMail(htmlParagraphs(paragraphs) + htmlSignature(signature)),
  };
}
