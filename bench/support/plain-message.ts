/**
 * The message plain nodemailer sends in every raw SMTP baseline: the size and shape of a
 * Tandem message (text, HTML, and an iTIP invite when `ics` is given), no outbox, no templates.
 */
import type { SendMailOptions } from 'nodemailer';

const TEXT = 'Dear Sam,\n\nYour first check-in of the year is on Tuesday at 10:00. '.padEnd(1_000, 'x');
const HTML = `<p>${'x'.repeat(2_000)}</p>`;
/** An iTIP body of an invite's size. */
export const PLAIN_ICS = 'BEGIN:VCALENDAR\r\n'.padEnd(1_700, 'X') + '\r\nEND:VCALENDAR\r\n';

export function plainMessage(to: string, ics?: string): SendMailOptions {
  return {
    from: { name: 'Bench Mentoring', address: 'mentoring@bench.example' },
    to,
    subject: 'Check-in 1',
    text: TEXT,
    html: HTML,
    ...(ics ? { icalEvent: { method: 'REQUEST', content: ics, filename: 'invite.ics' } } : {}),
  };
}
