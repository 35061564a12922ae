/**
 * Cross-site POSTs are refused even though the token in the path is already a bearer
 * credential: a page elsewhere that learned a link (a referrer leak, a forwarded email)
 * must not be able to make the browser act with it. Browsers send Sec-Fetch-Site and/or
 * Origin on form posts; when either is present it must say "this site". Non-browser clients
 * that send neither are let through (they hold the token itself).
 */
export function crossSiteReason(headers: Record<string, string | string[] | undefined>, publicUrl: string): string | null {
  const site = one(headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is "${site}"`;
  const origin = one(headers.origin);
  if (origin !== undefined && origin !== 'null' && origin !== new URL(publicUrl).origin) return `Origin ${origin} is not ${new URL(publicUrl).origin}`;
  // A privacy setting can send the literal "null" origin; only trust it if the fetch metadata said same-origin.
  if (origin === 'null' && site !== 'same-origin') return 'the request has an opaque origin';
  return null;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
