/**
 * One Temporal client per web server, connected on first use and closed with the server.
 * A failed connection is forgotten, so the next request tries again.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { WebContext } from './web-context.ts';

export function sharedTemporalClient(web: FastifyInstance, app: WebContext): () => Promise<Client> {
  if (app.temporal) return app.temporal;
  let client: Promise<Client> | undefined;
  web.addHook('onClose', async () => {
    const open = await client?.catch(() => undefined);
    await open?.connection.close();
  });
  return () => {
    client ??= import('../temporal/connection.ts').then(({ connectClient }) => connectClient(app.config.temporal));
    client.catch(() => {
      client = undefined;
    });
    return client;
  };
}
