/** A minimal reader of a raw MIME message's structure: content types, parameters and parts. */

export interface MimePart {
  type: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  children: MimePart[];
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function parseParams(value: string): { type: string; params: Record<string, string> } {
  const [type, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const i = p.indexOf('=');
    if (i > 0)
      params[p.slice(0, i).trim().toLowerCase()] = p
        .slice(i + 1)
        .trim()
        .replace(/^"|"$/g, '');
  }
  return { type: type!.trim().toLowerCase(), params };
}

export function parseMime(raw: string): MimePart {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHeaders(split >= 0 ? raw.slice(0, split) : raw);
  const body = split >= 0 ? raw.slice(split + 4) : '';
  const { type, params } = parseParams(headers['content-type'] ?? 'text/plain');
  const children: MimePart[] = [];
  if (type.startsWith('multipart/') && params.boundary) {
    const parts = body.split(`--${params.boundary}`);
    for (const part of parts.slice(1)) {
      if (part.startsWith('--')) break;
      children.push(parseMime(part.replace(/^\r\n/, '')));
    }
  }
  return { type, params, headers, body, children };
}

/** "multipart/mixed(multipart/alternative(text/plain,text/html),application/ics)". */
export function shape(part: MimePart): string {
  return part.children.length ? `${part.type}(${part.children.map(shape).join(',')})` : part.type;
}

export function decodeBody(part: MimePart): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    return Buffer.from(
      part.body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  }
  return part.body;
}

/** The first part of a MIME tree (depth first) with this content type. */
export function findPart(part: MimePart, type: string): MimePart | undefined {
  if (part.type === type) return part;
  for (const child of part.children) {
    const found = findPart(child, type);
    if (found) return found;
  }
  return undefined;
}
