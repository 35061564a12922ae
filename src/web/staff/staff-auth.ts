/**
 * Staff sessions over HTTP: the session cookie and the hooks every staff page uses
 * (the sessions themselves are src/staff/sessions.ts).
 *
 * A session is a random id in an HttpOnly, SameSite=Lax cookie (Secure, and `__Host-`
 * prefixed, when PUBLIC_URL is https). Postgres keeps only its sha256, with an absolute
 * expiry and an idle timeout. Each session has its own CSRF token; every unsafe request must
 * carry it (form field `_csrf` or header `x-csrf-token`) and come from PUBLIC_URL's origin.
 *
 * Use from any staff area (coordinator dashboard, evaluation, resources):
 *
 *   const auth = createStaffAuth({ db, publicUrl });
 *   web.get('/x', { onRequest: auth.requireStaffRole('evaluation') }, …)          // pages
 *   web.post('/x', { ...auth.staffOnly('evaluation'), schema }, …)                 // forms: role + CSRF
 *   request.staff  // { id, name, email, roles, departmentId, csrfToken }
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { SignedInStaff, StaffRole } from '../../staff/roles.ts';
import { endSession, SESSION_MAX_AGE_SECONDS, sessionStaff, startSession } from '../../staff/sessions.ts';
import { roleMissingPage } from './role-missing-page.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member once a staff hook has checked the session (decorated as null by the staff plugin). */
    staff: SignedInStaff | null;
  }
}

export interface StaffAuthOptions {
  db: Kysely<Database>;
  /** PUBLIC_URL: the only origin forms are accepted from; https makes the cookie Secure. */
  publicUrl: string;
  /** Shown on the page a staff member gets when a page needs a role they lack. */
  departmentName?: string;
  now?: () => Date;
}

export interface StaffAuth {
  cookieName: string;
  /** Hook (onRequest or preHandler): a signed-in staff member holding `role`, or 303 to /login (pages) / 401 (other). 403 without the role. */
  requireStaffRole(role: StaffRole): onRequestAsyncHookHandler;
  /** preHandler for unsafe methods: same origin as PUBLIC_URL and the session's CSRF token. 403 otherwise. */
  requireCsrf: preHandlerAsyncHookHandler;
  /** Route options for a staff form endpoint: `{ onRequest: role check, preHandler: CSRF }`. */
  staffOnly(role: StaffRole): { onRequest: onRequestAsyncHookHandler; preHandler: preHandlerAsyncHookHandler };
  /** Starts a session for this staff member and sets its cookie. */
  signIn(reply: FastifyReply, staffId: string): Promise<void>;
  /** Ends the request's session (if any) and clears the cookie. */
  signOut(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** The signed-in staff member, or null; does not reply. */
  currentStaff(request: FastifyRequest): Promise<SignedInStaff | null>;
  /** Checks the Origin (or Referer) of an unsafe request against PUBLIC_URL. */
  sameOrigin(request: FastifyRequest): boolean;
}

/** Reads one cookie from the header (no plugin needed, so any area can use these hooks). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    // A damaged cookie ("%", a stray byte) is no session, never a 500.
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function wantsHtml(request: FastifyRequest): boolean {
  return request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? 'text/html').includes('text/html');
}

export function createStaffAuth(options: StaffAuthOptions): StaffAuth {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const origin = new URL(options.publicUrl).origin;
  const secure = origin.startsWith('https:');
  // __Host- binds the cookie to this exact host and path, out of reach of sibling subdomains.
  const cookieName = secure ? '__Host-tandem_staff' : 'tandem_staff';

  const cookie = (value: string, maxAge: number) => `${cookieName}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

  async function currentStaff(request: FastifyRequest): Promise<SignedInStaff | null> {
    if (request.staff) return request.staff;
    const id = readCookie(request.headers.cookie, cookieName);
    if (!id) return null;
    request.staff = await sessionStaff(db, id, now());
    return request.staff;
  }

  function sameOrigin(request: FastifyRequest): boolean {
    const given = request.headers.origin ?? request.headers.referer;
    if (!given) return false;
    // Our pages send no referrer, so a real browser posts their forms with the opaque
    // `Origin: null`; then the Fetch Metadata header (which no page can forge) must say same-origin.
    if (given === 'null') return request.headers['sec-fetch-site'] === 'same-origin';
    try {
      return new URL(given).origin === origin;
    } catch {
      return false;
    }
  }

  const requireStaffRole = (role: StaffRole): onRequestAsyncHookHandler =>
    async function requireStaffRoleHook(request, reply) {
      const staff = await currentStaff(request);
      if (!staff) {
        if (wantsHtml(request)) {
          return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
        }
        return reply.code(401).type('application/json').send({ error: 'Sign in first: this needs a staff session.' });
      }
      if (!staff.roles.includes(role)) {
        if (wantsHtml(request)) {
          return reply
            .code(403)
            .type('text/html; charset=utf-8')
            .send(roleMissingPage({ departmentName: options.departmentName ?? 'Tandem', staff, role }));
        }
        return reply
          .code(403)
          .type('application/json')
          .send({ error: `This needs the ${role} role.` });
      }
    };

  const requireCsrf: preHandlerAsyncHookHandler = async function requireCsrfHook(request, reply) {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return;
    const staff = request.staff ?? (await currentStaff(request));
    if (!sameOrigin(request)) {
      return reply.code(403).type('application/json').send({ error: 'Refused: this form was not sent from Tandem (origin check).' });
    }
    const body = request.body as Record<string, unknown> | undefined;
    const given = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? (request.headers['x-csrf-token'] as string | undefined);
    if (!staff || !given || !tokensEqual(given, staff.csrfToken)) {
      return reply
        .code(403)
        .type('application/json')
        .send({ error: 'Refused: the form is missing its security token or it is stale. Reload the page and try again.' });
    }
  };

  return {
    cookieName,
    requireStaffRole,
    requireCsrf,
    staffOnly: (role) => ({ onRequest: requireStaffRole(role), preHandler: requireCsrf }),
    currentStaff,
    sameOrigin,
    async signIn(reply, staffId) {
      const id = await startSession(db, staffId, now());
      reply.header('set-cookie', cookie(id, SESSION_MAX_AGE_SECONDS));
    },
    async signOut(request, reply) {
      const id = readCookie(request.headers.cookie, cookieName);
      if (id) await endSession(db, id);
      request.staff = null;
      reply.header('set-cookie', cookie('', 0));
    },
  };
}
