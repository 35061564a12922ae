/**
 * Nothing a person typed may add or change a mail header. Names and subjects pass through
 * here: control characters (CR, LF, TAB, NUL …) and Unicode line separators become spaces,
 * so the value stays on its one header line; nodemailer then quotes or MIME-encodes it.
 * Addresses are never taken from display text: only from the validated `email` column.
 */

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

export function headerSafeText(value: string, maxLength = 200): string {
  return value
    .replace(CONTROLS, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim()
    .slice(0, maxLength);
}

/** Subjects are headers: fold away anything that could start a new header line. */
export function safeSubject(subject: string): string {
  return headerSafeText(subject, 200);
}

/** A display name for From/To: no controls; quotes, commas and angle brackets are quoted by nodemailer. */
export function safeDisplayName(name: string): string {
  return headerSafeText(name, 120);
}

/** The bare address inside MAIL_FROM ("Dept <x@y>" or "x@y"). */
export function addressOf(mailbox: string): string {
  return /<([^<>\s]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox.trim();
}
