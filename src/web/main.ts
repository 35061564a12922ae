/** The production web process: `tandem web`. Stops cleanly on SIGINT/SIGTERM. */
import { openAppContext } from '../app-context.ts';
import { loadConfig } from '../config/env.ts';
import { buildWebServer } from './server.ts';
import { ensureBootstrapCoordinator } from './coordinator/bootstrap.ts';

export async function runWeb(): Promise<void> {
  const config = loadConfig();
  const app = await openAppContext(config);
  const web = await buildWebServer(app);
  const coordinator = await ensureBootstrapCoordinator(app);
  if (coordinator) app.logger.info('bootstrap coordinator ready (TANDEM_COORDINATOR_EMAIL); sign in at /login');
  await web.listen({ host: config.web.host, port: config.web.port });
  app.logger.info({ url: config.publicUrl }, 'web listening');
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  await web.close();
  await app.close();
}
