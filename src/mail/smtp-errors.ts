/**
 * What an SMTP failure means for the outbox. Only a permanent (5xx) refusal of the
 * recipient at RCPT TO says the address is bad; a 5xx elsewhere (our sender refused,
 * the message refused at DATA) is our problem or the message's, and 4xx or a broken
 * connection is worth trying again later.
 */

export type SmtpFailure =
  /** 5xx at RCPT TO: this address does not take mail. Record it; do not retry. */
  | { kind: 'address-refused'; code: number; response: string }
  /** 5xx for this message at DATA (too big, rejected content): retrying will not help. */
  | { kind: 'message-refused'; code: number; response: string }
  /** 4xx, connection refused or lost, timeouts, 5xx for our sender: retry with backoff. */
  | { kind: 'transient'; code: number | null; response: string };

interface NodemailerError {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

export function classifySmtpError(error: unknown): SmtpFailure {
  const e = (error ?? {}) as NodemailerError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = (e.response ?? e.message ?? String(error)).replace(/\s+/g, ' ').slice(0, 300);
  const command = (e.command ?? '').toUpperCase();
  if (code !== null && code >= 500 && code < 600) {
    if (command.startsWith('RCPT')) return { kind: 'address-refused', code, response };
    if (command === 'DATA' || command === 'DATA_END' || e.code === 'EMESSAGE') return { kind: 'message-refused', code, response };
  }
  return { kind: 'transient', code, response };
}
