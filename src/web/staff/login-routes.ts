/**
 * Staff sign-in by emailed link.
 *
 * POST /login answers the same page whatever the address (an account or not) and sends in
 * the background, so neither the words nor the time taken say whether an account exists.
 * Opening the link shows a confirmation button; pressing it spends the link and starts a
 * session. Limits: per IP and per address, on asking for links and on using them.
 */
import type { FastifyPluginAsync } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { postgresRateLimitStore } from '../../stores/rate-limit-store.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Logger } from '../../logger.ts';
import type { OutboxDeps } from '../../mail/outbox.ts';
import { checkLoginToken, issueLoginToken, LOGIN_LINK_PROBLEMS, LOGIN_LINK_TTL_SECONDS, loginLinkUrl, spendLoginToken } from '../../staff/login-links.ts';
import { renderLoginEmail, sendLoginEmail } from '../../staff/login-email.ts';
import { checkEmailPage, confirmLoginPage, loginFormPage, loginLinkProblemPage, safeNext, type SignInWays } from './login-pages.ts';
import { landingFor } from './staff-landing.ts';
import type { StaffAuth } from './staff-auth.ts';
import { findStaffByEmail } from '../../staff/accounts.ts';

export interface LoginRoutesOptions {
  db: Kysely<Database>;
  secret: string;
  publicUrl: string;
  departmentName: string;
  auth: StaffAuth;
  outbox: Omit<OutboxDeps, 'db'>;
  logger?: Pick<Logger, 'error'>;
  /** Which ways to sign in are offered; emailed links can be switched off (STAFF_EMAIL_SIGN_IN=false). */
  ways?: SignInWays;
  /** Link requests allowed per address per 15 minutes, and per IP per 15 minutes. */
  limits?: { perEmail: number; perIp: number };
  /** The department whose limits these are (the counters in Postgres are kept per department). */
  departmentId?: string;
}

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
const TOKEN_PATTERN = '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$';
const htmlResponse = { 200: { type: 'string', description: 'HTML page' } } as const;

export const loginRoutes: FastifyPluginAsync<LoginRoutesOptions> = async (web, options) => {
  const { db, auth, departmentName } = options;
  const limits = options.limits ?? { perEmail: 5, perIp: 30 };
  const ways = options.ways ?? { emailLinks: true, university: false };
  const EMAIL_LINKS_OFF = 'Sign-in links by email are switched off here. Sign in with your university account.';
  // Counted in Postgres, so the limits hold in total across every web process.
  await web.register(rateLimit, { global: false, timeWindow: '15 minutes', store: postgresRateLimitStore(db, options.departmentId ?? '') });
  const perIp = web.createRateLimit({ max: limits.perIp, timeWindow: '15 minutes', keyGenerator: (req) => `login-ip:${req.ip}` });
  const perEmail = web.createRateLimit({
    max: limits.perEmail,
    timeWindow: '15 minutes',
    keyGenerator: (req) =>
      `login-email:${String((req.body as { email?: string } | undefined)?.email ?? '')
        .trim()
        .toLowerCase()}`,
  });
  const useLinkPerIp = web.createRateLimit({ max: limits.perIp, timeWindow: '15 minutes', keyGenerator: (req) => `login-use-ip:${req.ip}` });

  // Sends run after the answer; the server waits for them on close so none is cut off.
  const sending = new Set<Promise<unknown>>();
  web.addHook('onClose', async () => {
    await Promise.allSettled([...sending]);
  });

  web.get<{ Querystring: { next?: string; signed_out?: string } }>(
    '/login',
    {
      schema: {
        summary: 'The staff sign-in form',
        tags: ['staff sign-in'],
        querystring: {
          type: 'object',
          properties: {
            next: { type: 'string', maxLength: 2000 },
            signed_out: { type: 'string', maxLength: 1, description: 'Set after sign-out: the page says so' },
          },
        },
        response: htmlResponse,
      },
    },
    async (request, reply) => {
      const staff = await auth.currentStaff(request);
      if (staff) return reply.redirect(landingFor(staff.roles, request.query.next), 303);
      // Say why the form is here: just signed out, or sent from a staff page that needs a session.
      const info = request.query.signed_out !== undefined ? 'You are signed out.' : request.query.next ? 'Sign in to see that page.' : undefined;
      return reply.type('text/html; charset=utf-8').send(loginFormPage({ departmentName, next: request.query.next, info, ways }));
    },
  );

  web.post<{ Body: { email: string; next?: string } }>(
    '/login',
    {
      schema: {
        summary: 'Email a sign-in link (same answer whether or not the address has an account)',
        tags: ['staff sign-in'],
        consumes: ['application/x-www-form-urlencoded'],
        body: {
          type: 'object',
          required: ['email'],
          properties: { email: { type: 'string', maxLength: 254 }, next: { type: 'string', maxLength: 2000 } },
        },
        response: { 200: htmlResponse[200], 400: htmlResponse[200], 403: htmlResponse[200], 429: htmlResponse[200] },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      reply.type('text/html; charset=utf-8');
      const typed = typeof request.body?.email === 'string' ? request.body.email.trim() : '';
      const next = request.body?.next;
      if (!ways.emailLinks) return reply.code(403).send(loginFormPage({ departmentName, next, error: EMAIL_LINKS_OFF, ways }));
      if (!auth.sameOrigin(request)) {
        return reply.code(403).send(
          loginFormPage({
            departmentName,
            email: typed,
            next,
            error: 'Refused: this form was not sent from Tandem. Open the sign-in page and try again.',
            ways,
          }),
        );
      }
      if (request.validationError || !EMAIL.test(typed)) {
        return reply.code(400).send(loginFormPage({ departmentName, email: typed, next, error: 'Email: enter a whole address, like name@example.edu.', ways }));
      }
      for (const check of [perIp, perEmail]) {
        const limit = await check(request);
        if (!limit.isAllowed && limit.isExceeded) {
          const minutes = Math.max(1, Math.ceil(limit.ttlInSeconds / 60));
          reply.header('retry-after', String(limit.ttlInSeconds));
          return reply.code(429).send(
            loginFormPage({
              departmentName,
              email: typed,
              next,
              error: `Too many sign-in requests. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
              ways,
            }),
          );
        }
      }
      const send = (async () => {
        const staff = await findStaffByEmail(db, typed);
        if (!staff) return;
        const token = issueLoginToken(options.secret, staff.id);
        const nextPath = safeNext(next, '');
        const url = loginLinkUrl(options.publicUrl, token) + (nextPath ? `?next=${encodeURIComponent(nextPath)}` : '');
        const content = renderLoginEmail({ name: staff.name, departmentName, url, minutes: LOGIN_LINK_TTL_SECONDS / 60 });
        await sendLoginEmail({ db, ...options.outbox }, { email: staff.email, name: staff.name }, content);
      })().catch((error: unknown) => options.logger?.error({ err: error }, 'sign-in email failed'));
      sending.add(send);
      void send.finally(() => sending.delete(send));
      return reply.send(checkEmailPage({ departmentName, email: typed }));
    },
  );

  web.get<{ Params: { token: string }; Querystring: { next?: string } }>(
    '/login/:token',
    {
      schema: {
        summary: 'A sign-in link from email: shows a confirmation button (does not spend the link)',
        tags: ['staff sign-in'],
        params: { type: 'object', required: ['token'], properties: { token: { type: 'string', maxLength: 1024 } } },
        querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 2000 } } },
        response: { 200: htmlResponse[200], 400: htmlResponse[200], 410: htmlResponse[200] },
      },
    },
    async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      if (!ways.emailLinks) return reply.code(410).send(loginLinkProblemPage({ departmentName, message: EMAIL_LINKS_OFF }));
      const check = await checkLoginToken(db, options.secret, request.params.token);
      if (!check.ok) {
        return reply
          .code(check.problem === 'expired' || check.problem === 'used' ? 410 : 400)
          .send(loginLinkProblemPage({ departmentName, message: LOGIN_LINK_PROBLEMS[check.problem] }));
      }
      return reply.send(confirmLoginPage({ departmentName, name: check.staff.name, token: request.params.token, next: safeNext(request.query.next, '') }));
    },
  );

  web.post<{ Params: { token: string }; Body: { next?: string } }>(
    '/login/:token',
    {
      schema: {
        summary: 'Spend a sign-in link and start a session (sets the session cookie, 303 to the dashboard)',
        tags: ['staff sign-in'],
        consumes: ['application/x-www-form-urlencoded'],
        params: { type: 'object', required: ['token'], properties: { token: { type: 'string', maxLength: 1024, pattern: TOKEN_PATTERN } } },
        body: { type: 'object', properties: { next: { type: 'string', maxLength: 2000 } } },
        response: {
          303: { type: 'null', description: 'Signed in' },
          400: htmlResponse[200],
          403: htmlResponse[200],
          410: htmlResponse[200],
          429: htmlResponse[200],
        },
      },
    },
    async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      if (!ways.emailLinks) return reply.code(410).send(loginLinkProblemPage({ departmentName, message: EMAIL_LINKS_OFF }));
      if (!auth.sameOrigin(request)) {
        return reply
          .code(403)
          .send(loginLinkProblemPage({ departmentName, message: 'Refused: this form was not sent from Tandem. Open the link from your email again.' }));
      }
      const limit = await useLinkPerIp(request);
      if (!limit.isAllowed && limit.isExceeded) {
        return reply
          .code(429)
          .send(loginLinkProblemPage({ departmentName, message: 'Too many sign-in attempts from here. Wait a few minutes and try again.' }));
      }
      const spent = await spendLoginToken(db, options.secret, request.params.token);
      if (!spent.ok) {
        return reply
          .code(spent.problem === 'expired' || spent.problem === 'used' ? 410 : 400)
          .send(loginLinkProblemPage({ departmentName, message: LOGIN_LINK_PROBLEMS[spent.problem] }));
      }
      await auth.signIn(reply, spent.staff.id);
      return reply.redirect(landingFor(spent.staff.roles, request.body?.next), 303);
    },
  );

  web.post(
    '/logout',
    {
      ...auth.staffOnly('coordinator'),
      // Any staff member may sign out, whatever their roles.
      onRequest: async (request, reply) => {
        if (!(await auth.currentStaff(request))) return reply.redirect('/login', 303);
      },
      schema: {
        summary: 'Sign out (ends the session)',
        tags: ['staff sign-in'],
        consumes: ['application/x-www-form-urlencoded'],
        body: { type: 'object', properties: { _csrf: { type: 'string' } } },
        response: { 303: { type: 'null', description: 'Signed out' } },
      },
    },
    async (request, reply) => {
      await auth.signOut(request, reply);
      return reply.redirect('/login?signed_out=1', 303);
    },
  );
};
