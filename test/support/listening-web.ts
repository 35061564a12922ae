/**
 * The web app over a test stack, listening on a free local port for a real browser, with the
 * configured bootstrap coordinator's account made as `npm start` makes it.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/env.ts';
import { freePort } from '../../src/dev/free-port.ts';
import { createMailTransport } from '../../src/mail/transport.ts';
import { ensureBootstrapCoordinator } from '../../src/staff/bootstrap.ts';
import { buildWebServer } from '../../src/web/server.ts';
import { TEST_SECRET, type TestStack } from './stack.ts';

export async function startListeningWeb(stack: TestStack, coordinator: { email: string; name?: string }): Promise<{ web: FastifyInstance; origin: string }> {
  const origin = `http://127.0.0.1:${await freePort()}`;
  const config = loadConfig({
    PUBLIC_URL: origin,
    TANDEM_SECRET: TEST_SECRET,
    SMTP_URL: stack.mail.smtpUrl,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    TANDEM_COORDINATOR_EMAIL: coordinator.email,
    ...(coordinator.name ? { TANDEM_COORDINATOR_NAME: coordinator.name } : {}),
    LOG_LEVEL: 'silent',
  });
  const mailer = createMailTransport(stack.mail.smtpUrl);
  const web = await buildWebServer({ db: stack.db, policy: stack.policy, config, mailer, temporal: async () => stack.client });
  web.addHook('onClose', async () => mailer.close());
  // As `npm start` does: the configured coordinator gets an account.
  await ensureBootstrapCoordinator({ db: stack.db, policy: stack.policy, config });
  await web.listen({ host: '127.0.0.1', port: Number(new URL(origin).port) });
  return { web, origin };
}
