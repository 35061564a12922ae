/**
 * Every staff area — the coordinator's dashboard and sign-in, the evaluation committee's
 * packets, the resources' help requests — under one parent plugin, so each gets the same
 * security headers (no scripts, no framing, no referrer, no sniffing) and the same form parser,
 * whichever area a route belongs to. Areas add their own role checks through the shared StaffAuth.
 */
import formbody from '@fastify/formbody';
import type { Client } from '@temporalio/client';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { Transporter } from 'nodemailer';
import { dataKeyFrom } from '../security/data-encryption.ts';
import { serverErrorBody } from './error-page.ts';
import { page } from './layout.ts';
import { coordinatorRoutes } from './coordinator/index.ts';
import { signInRoutes } from './staff/sign-in-routes.ts';
import { addStaffSecurityHeaders } from './staff/security-headers.ts';
import type { StaffAuth } from './staff/staff-auth.ts';
import { evaluationRoutes } from './evaluation/routes.ts';
import { helpRequestRoutes } from './resources/help-request-routes.ts';
import type { WebContext } from './web-context.ts';

export interface StaffPluginOptions {
  app: WebContext;
  auth: StaffAuth;
  mailer: Transporter;
  temporal: () => Promise<Client>;
}

export const staffPlugin: FastifyPluginAsync<StaffPluginOptions> = async (web, { app, auth, mailer, temporal }) => {
  // Set by the staff hooks once they have checked the session (a reference-free value, so decorated as null).
  web.decorateRequest('staff', null);
  await web.register(formbody);
  addStaffSecurityHeaders(web);
  // A failure on our side (a database error) answers a generic page with the request id, never the error's text; a request's own fault (4xx) keeps Fastify's answer.
  web.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) throw error;
    request.log.error(error);
    reply.code(500).header('cache-control', 'no-store');
    if (!request.url.startsWith('/api/') && (request.headers.accept ?? 'text/html').includes('text/html')) {
      const body = serverErrorBody(request.id, 'Nothing was changed unless the page said so: go back and try again in a few minutes.');
      return reply
        .type('text/html; charset=utf-8')
        .send(page({ title: 'Something went wrong', departmentName: app.policy.department.name, narrow: true, body }));
    }
    return reply.type('application/json').send({ error: 'Something went wrong on our side.', requestId: request.id });
  });
  await web.register(signInRoutes, { app, auth, mailer });
  await web.register(coordinatorRoutes, { app, auth, temporal, mailer });
  await web.register(evaluationRoutes, { db: app.db, policy: app.policy, auth, dataKey: dataKeyFrom(app.config) });
  await web.register(helpRequestRoutes, { db: app.db, policy: app.policy, auth, dataKey: dataKeyFrom(app.config) });
};
