/**
 * The web app over a test stack, listening on a real port (for a browser, or for an identity
 * provider to redirect back to), with extra environment settings on top of the test ones.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/config/env.ts';
import { freePort } from '../../../src/dev/free-port.ts';
import { createMailTransport } from '../../../src/mail/transport.ts';
import { buildWebServer } from '../../../src/web/server.ts';
import { TEST_SECRET, type TestStack } from '../../support/stack.ts';

export interface ListeningWeb {
  web: FastifyInstance;
  origin: string;
  close(): Promise<void>;
}

/** The origin is chosen first, so an identity provider can be told the callback before the app starts. */
export async function pickOrigin(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

export async function startListeningWeb(stack: TestStack, origin: string, env: Record<string, string> = {}): Promise<ListeningWeb> {
  const config = loadConfig({
    PUBLIC_URL: origin,
    TANDEM_SECRET: TEST_SECRET,
    SMTP_URL: stack.mail.smtpUrl,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const mailer = createMailTransport(stack.mail.smtpUrl);
  const web = await buildWebServer({ db: stack.db, policy: stack.policy, config, mailer, temporal: async () => stack.client });
  web.addHook('onClose', async () => mailer.close());
  await web.listen({ host: '127.0.0.1', port: Number(new URL(origin).port) });
  return { web, origin, close: () => web.close() };
}
