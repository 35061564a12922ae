/**
 * Reading a recorded history the way an operator's tools would: every string in it, with each
 * payload's data decoded (a payload's JSON sits base64-encoded in the history's JSON, so a
 * plain text search of the file would miss what it holds).
 */
export const EMAIL_ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

interface Found {
  /** eventId and eventType of the event holding it. */
  event: string;
  address: string;
}

function texts(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) texts(v, out);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.data === 'string' && record.metadata) out.push(Buffer.from(record.data, 'base64').toString('utf8'));
    for (const v of Object.values(record)) texts(v, out);
  }
}

/** Every email address in a history (its JSON as historyToJSON writes it), with the event it is in. */
export function emailAddressesIn(historyJson: string): Found[] {
  const history = JSON.parse(historyJson) as { events: { eventId: string; eventType: string }[] };
  const found: Found[] = [];
  for (const event of history.events) {
    const strings: string[] = [];
    texts(event, strings);
    for (const s of strings) for (const address of s.match(EMAIL_ADDRESS) ?? []) found.push({ event: `${event.eventId} ${event.eventType}`, address });
  }
  return found;
}
