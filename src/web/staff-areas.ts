/**
 * Every staff area — the coordinator's dashboard and sign-in, the evaluation committee's
 * packets, the resources' help requests — under one parent plugin, so each gets the same
 * security headers (no scripts, no framing, no referrer, no sniffing) and the same form parser,
 * whichever area a route belongs to. Areas add their own role checks through the shared StaffAuth.
 */
import formbody from '@fastify/formbody';
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync } from 'fastify';
import type { Transporter } from 'nodemailer';
import { dataKeyFrom } from '../security/data-encryption.ts';
import { coordinatorRoutes } from './coordinator/index.ts';
import { addStaffSecurityHeaders } from './coordinator/security-headers.ts';
import type { StaffAuth } from './coordinator/session.ts';
import { evaluationRoutes } from './evaluation/routes.ts';
import { helpRequestRoutes } from './resources/help-request-routes.ts';
import type { WebContext } from './web-context.ts';

export interface StaffAreasOptions {
  app: WebContext;
  auth: StaffAuth;
  mailer: Transporter;
  temporal: () => Promise<Client>;
}

export const staffAreas: FastifyPluginAsync<StaffAreasOptions> = async (web, { app, auth, mailer, temporal }) => {
  await web.register(formbody);
  addStaffSecurityHeaders(web);
  await web.register(coordinatorRoutes, { app, auth, temporal, mailer });
  await web.register(evaluationRoutes, { db: app.db, policy: app.policy, auth, dataKey: dataKeyFrom(app.config) });
  await web.register(helpRequestRoutes, { db: app.db, policy: app.policy, auth, dataKey: dataKeyFrom(app.config) });
};
