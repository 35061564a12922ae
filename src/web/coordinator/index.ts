/**
 * The coordinator's area of the web app: the dashboard of stalled cycles, enrollment, people,
 * staff and reports (staff sign-in is ../staff/sign-in-routes.ts).
 * Registered inside the staff areas' parent plugin (../staff-plugin.ts), which sets the
 * security headers and form parsing for every staff area.
 */
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync } from 'fastify';
import type { Transporter } from 'nodemailer';
import type { WebContext } from '../web-context.ts';
import { mailSenderName } from '../../mail/layout.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { enrollmentPageRoutes } from './enrollment-page-routes.ts';
import { reportRoutes } from './report-routes.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import { staffRoutes } from './staff-routes.ts';
import { peopleRoutes } from './people-routes.ts';
import { labChangeRoutes } from './lab-change-routes.ts';

export interface CoordinatorOptions {
  app: WebContext;
  auth: StaffAuth;
  mailer: Transporter;
  temporal: () => Promise<Client>;
}

export const coordinatorRoutes: FastifyPluginAsync<CoordinatorOptions> = async (web, options) => {
  const { app, auth } = options;
  await web.register(dashboardRoutes, { db: app.db, policy: app.policy, auth, temporal: options.temporal });
  await web.register(enrollmentPageRoutes, {
    db: app.db,
    policy: app.policy,
    auth,
    temporal: options.temporal,
    taskQueue: app.config.temporal.taskQueue,
    concurrency: app.config.enrollConcurrency,
  });
  const outbox = { mailer: options.mailer, mailFrom: app.config.mailFrom, senderName: mailSenderName(app.policy.department.name) };
  await web.register(peopleRoutes, { db: app.db, auth, departmentName: app.policy.department.name, temporal: options.temporal, outbox, logger: app.logger });
  await web.register(labChangeRoutes, {
    db: app.db,
    policy: app.policy,
    auth,
    temporal: options.temporal,
    taskQueue: app.config.temporal.taskQueue,
    logger: app.logger,
  });
  const signIn = app.config.staffSignIn;
  await web.register(staffRoutes, {
    db: app.db,
    auth,
    departmentName: app.policy.department.name,
    zone: app.policy.defaultTimeZone,
    outbox,
    welcome: {
      secret: app.config.secret,
      publicUrl: app.config.publicUrl,
      departmentName: app.policy.department.name,
      emailSignIn: signIn.emailLinks,
      universitySignIn: Boolean(signIn.oidc),
    },
    logger: app.logger,
  });
  await web.register(reportRoutes, { db: app.db, policy: app.policy, policyFile: app.config.policyFile, auth });
};
