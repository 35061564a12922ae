/**
 * Headers on every staff page: no scripts at all, no framing (the action buttons cannot be
 * clickjacked), forms only to this site, no referrer (sign-in links are in paths), no sniffing.
 */
import type { FastifyInstance } from 'fastify';

export const STAFF_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function addStaffSecurityHeaders(web: FastifyInstance): void {
  web.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) reply.header('content-security-policy', STAFF_PAGE_CSP);
    return payload;
  });
}
