/**
 * The web app (Fastify). Each area is a plugin registered here: participant pages
 * (src/web/participant), the coordinator dashboard (src/web/coordinator), calendar feeds
 * and the enrollment API.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { sharedTemporalClient } from './temporal-client.ts';
import type { WebContext } from './web-context.ts';
import { calendarFeedRoutes } from './calendar-feed-routes.ts';
import { enrollmentRoutes, enrollmentRoutesOptions } from './enrollment-routes.ts';
import { staffPlugin } from './staff-plugin.ts';
import { createStaffAuth } from './staff/staff-auth.ts';
import { registerApiDocs } from './api-docs.ts';
import { createMailTransport } from '../mail/transport.ts';
import { participantRoutes, participantRoutesOptions } from './participant/routes.ts';
import { myMentoringRoutes } from './participant/my-mentoring-routes.ts';
import { homePage } from './home-page.ts';
import { pingDatabase } from '../../db/connection.ts';
import { registerHttpMetrics } from '../metrics/http-metrics.ts';
import { checkReadiness } from '../metrics/readiness.ts';

export async function buildWebServer(app: WebContext): Promise<FastifyInstance> {
  // Action links carry a signed token in the path (~250 characters); Fastify's default cap is 100.
  // TRUST_PROXY: behind a reverse proxy, request.ip (the per-IP sign-in limit's key) is the client's, not the proxy's.
  const web = Fastify({ logger: false, routerOptions: { maxParamLength: 2048 }, trustProxy: app.config.trustProxy });
  const temporal = sharedTemporalClient(web, app);
  if (app.metrics) registerHttpMetrics(web, app.metrics);
  // First, so every route registered after it appears in the OpenAPI document at /docs.
  await registerApiDocs(web, app);
  /** Staff sessions and role checks, shared by every staff area (coordinator, evaluation, resources). */
  const staffAuth = createStaffAuth({ db: app.db, publicUrl: app.config.publicUrl, departmentName: app.policy.department.name });
  const mailer = app.mailer ?? ownMailer(web, app);
  await web.register(staffPlugin, { app, auth: staffAuth, temporal, mailer });
  await web.register(calendarFeedRoutes, { db: app.db, secret: app.config.secret, departmentName: app.policy.department.name });
  await web.register(enrollmentRoutes, enrollmentRoutesOptions(app));
  await web.register(participantRoutes, participantRoutesOptions(app, temporal));
  await web.register(myMentoringRoutes, {
    db: app.db,
    policy: app.policy,
    secret: app.config.secret,
    publicUrl: app.config.publicUrl,
    mailFrom: app.config.mailFrom,
    mailer,
    temporal,
    taskQueue: app.config.temporal.taskQueue,
  });
  web.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: the database answers',
        tags: ['operations'],
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      },
    },
    async () => {
      await pingDatabase(app.db);
      return { ok: true };
    },
  );
  web.get(
    '/readyz',
    { schema: { summary: 'Readiness: Postgres and Temporal answer; names the one that does not', tags: ['operations'] } },
    async (_req, reply) => {
      const readiness = await checkReadiness({
        postgres: () => pingDatabase(app.db),
        temporal: async () => (await temporal()).connection.workflowService.describeNamespace({ namespace: app.config.temporal.namespace }),
      });
      return reply.code(readiness.ready ? 200 : 503).send(readiness);
    },
  );
  web.get('/', { schema: { summary: 'Home page (HTML)', tags: ['operations'] } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(homePage(app.policy)),
  );
  return web;
}

/** A web app hosted without a mailer of its own (tests) opens one from SMTP_URL for sign-in links. */
function ownMailer(web: FastifyInstance, app: WebContext) {
  const mailer = createMailTransport(app.config.smtpUrl, {
    ratePerSecond: app.config.smtp.ratePerSecond,
    maxConnections: app.config.smtp.maxConnections,
    shared: { db: app.db },
  });
  web.addHook('onClose', async () => mailer.close());
  return mailer;
}
