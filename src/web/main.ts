/** The production web process: `tandem web`. Stops cleanly on SIGINT/SIGTERM. */
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config/env.ts';
import { createRegistry, startMetricsServer } from '../metrics/metrics-server.ts';
import { registerTandemMetrics } from '../metrics/tandem-metrics.ts';
import type { Readiness } from '../metrics/readiness.ts';
import { buildWebServer } from './server.ts';
import { ensureBootstrapCoordinator } from '../staff/bootstrap.ts';

export async function runWeb(): Promise<void> {
  const config = loadConfig();
  const app = await openAppContext(config);
  const { web, operations } = await startWebProcess(app);
  const coordinator = await ensureBootstrapCoordinator(app);
  if (coordinator) app.logger.info('bootstrap coordinator ready (TANDEM_COORDINATOR_EMAIL); sign in at /login');
  await web.listen({ host: config.web.host, port: config.web.port });
  app.logger.info({ url: config.publicUrl, metricsPort: operations.port }, 'web listening');
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  await web.close();
  await operations.close();
  await app.close();
}

/** The web app with its request metrics, and its operations port (/metrics, /readyz, /healthz). */
export async function startWebProcess(app: Awaited<ReturnType<typeof openAppContext>>) {
  const registry = createRegistry('web');
  registerTandemMetrics(registry, app.db);
  const web = await buildWebServer({ ...app, metrics: registry });
  const operations = await startMetricsServer({
    host: app.config.metrics.host,
    port: app.config.metrics.port,
    registry,
    // The same checks as the app's own /readyz.
    readiness: async () => (await web.inject({ method: 'GET', url: '/readyz' })).json<Readiness>(),
  });
  return { web, operations };
}
