/**
 * The coordinator's area of the web app: staff sign-in and the dashboard of stalled cycles.
 * Registered by server.ts with a shared StaffAuth, which other staff areas (evaluation,
 * resources) use too.
 */
import formbody from '@fastify/formbody';
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync } from 'fastify';
import type { Transporter } from 'nodemailer';
import type { WebContext } from '../web-context.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { loginRoutes } from './login-routes.ts';
import { addStaffSecurityHeaders } from './security-headers.ts';
import type { StaffAuth } from './session.ts';

export interface CoordinatorOptions {
  app: WebContext;
  auth: StaffAuth;
  mailer: Transporter;
  temporal: () => Promise<Client>;
  /** Sign-in limits (tests lower them). */
  loginLimits?: { perEmail: number; perIp: number };
}

export const coordinatorRoutes: FastifyPluginAsync<CoordinatorOptions> = async (web, options) => {
  const { app, auth } = options;
  await web.register(formbody);
  addStaffSecurityHeaders(web);
  await web.register(loginRoutes, {
    db: app.db,
    secret: app.config.secret,
    publicUrl: app.config.publicUrl,
    departmentName: app.policy.department.name,
    departmentId: app.policy.department.id,
    auth,
    outbox: { mailer: options.mailer, mailFrom: app.config.mailFrom, senderName: app.policy.department.name },
    logger: app.logger,
    limits: options.loginLimits,
  });
  await web.register(dashboardRoutes, { db: app.db, policy: app.policy, auth, temporal: options.temporal });
};
