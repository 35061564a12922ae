/**
 * University sign-in routes: /login/oidc/start sends the browser to the identity provider;
 * /login/oidc/callback checks what comes back (oidc-sign-in.ts), finds the staff account by
 * the verified email, and starts a session — or answers a page saying what went wrong.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Policy } from '../../domain/policy.ts';
import type { Logger } from '../../logger.ts';
import { coordinatorRecipients } from '../../activities/coordinator-recipients.ts';
import { safeNext } from './login-pages.ts';
import { askYourCoordinatorPage, OIDC_PROBLEMS, oidcProblemPage } from './oidc-pages.ts';
import { OidcSignInError, type OidcSignIn } from '../../staff/oidc-sign-in.ts';
import type { StaffAuth } from './staff-auth.ts';
import { findStaffByEmail } from '../../staff/accounts.ts';
import { landingFor } from './staff-landing.ts';

export interface OidcRoutesOptions {
  db: Kysely<Database>;
  policy: Pick<Policy, 'department' | 'defaultTimeZone'>;
  auth: StaffAuth;
  publicUrl: string;
  signIn: OidcSignIn;
  logger?: Pick<Logger, 'warn'>;
}

const htmlPage = { type: 'string', description: 'HTML page' } as const;

export const oidcRoutes: FastifyPluginAsync<OidcRoutesOptions> = async (web, options) => {
  const { db, auth } = options;
  const departmentName = options.policy.department.name;

  web.get<{ Querystring: { next?: string } }>(
    '/login/oidc/start',
    {
      schema: {
        summary: 'Start university sign-in (303 to the identity provider; a page if it does not answer)',
        tags: ['staff sign-in'],
        querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 2000 } } },
        response: { 303: { type: 'null', description: 'To the identity provider' }, 503: htmlPage },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      try {
        const url = await options.signIn.begin(safeNext(request.query.next, ''));
        return reply.redirect(url.href, 303);
      } catch (error) {
        if (!(error instanceof OidcSignInError)) throw error;
        options.logger?.warn({ problem: error.problem }, 'university sign-in could not start');
        return reply
          .code(OIDC_PROBLEMS[error.problem].status as 503)
          .type('text/html; charset=utf-8')
          .send(oidcProblemPage({ departmentName, problem: error.problem }));
      }
    },
  );

  web.get(
    '/login/oidc/callback',
    {
      schema: {
        summary: 'Where the identity provider sends the browser back (code, state); starts a staff session',
        tags: ['staff sign-in'],
        response: { 303: { type: 'null', description: 'Signed in' }, 400: htmlPage, 403: htmlPage, 503: htmlPage },
      },
    },
    async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      let outcome;
      try {
        // The registered redirect URI with the query the provider added: the token request must name the URI exactly.
        const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        outcome = await options.signIn.finish(new URL(`${options.publicUrl}/login/oidc/callback${query}`));
      } catch (error) {
        if (!(error instanceof OidcSignInError)) throw error;
        // The problem only: never the code, the state or what the provider said about the person.
        options.logger?.warn({ problem: error.problem }, 'university sign-in refused');
        return reply.code(OIDC_PROBLEMS[error.problem].status as 400).send(oidcProblemPage({ departmentName, problem: error.problem }));
      }
      const staff = await findStaffByEmail(db, outcome.email);
      if (!staff) {
        const { immediate, digest } = await coordinatorRecipients(db, options.policy);
        return reply.code(403).send(askYourCoordinatorPage({ departmentName, email: outcome.email, coordinators: [...immediate, ...digest] }));
      }
      await auth.signIn(reply, staff.id);
      return reply.redirect(landingFor(staff.roles, outcome.next ?? undefined), 303);
    },
  );
};
