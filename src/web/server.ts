/**
 * The web app (Fastify). For now a front page and a health check; participant pages and
 * the coordinator dashboard are plugins added here as they are built.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { calendarFeedRoutes } from './calendar-feed-routes.ts';
import { enrollmentRoutes, enrollmentRoutesOptions } from './enrollment-routes.ts';

export async function buildWebServer(app: Pick<AppContext, 'db' | 'policy' | 'config'>): Promise<FastifyInstance> {
  const web = Fastify({ logger: false });
  await web.register(calendarFeedRoutes, { db: app.db, secret: app.config.secret, departmentName: app.policy.department.name });
  await web.register(enrollmentRoutes, enrollmentRoutesOptions(app));
  web.get('/healthz', async () => {
    await app.db.selectFrom('departments').select('id').limit(1).execute();
    return { ok: true };
  });
  web.get('/', async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tandem</title></head>
<body style="font-family:system-ui,sans-serif;margin:2rem"><h1>Tandem</h1>
<p>Mentoring cycles for ${app.policy.department.name.replace(/[&<>"']/g, '')}. The coordinator dashboard and participant pages are coming.</p></body></html>`;
  });
  return web;
}
