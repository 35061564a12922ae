/**
 * How the web app configures Fastify: router options set the current way (no deprecation
 * warning), a path parameter as long as a signed token still reaches its route, and
 * TRUST_PROXY deciding whose address request.ip (the per-IP sign-in limit's key) is.
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDb } from '../../db/connection.ts';
import { loadConfig } from '../../src/config/env.ts';
import { buildWebServer } from '../../src/web/server.ts';
import { testPolicy } from '../support/policy.ts';
import { TEST_SECRET } from '../support/stack.ts';

describe('web server options', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  const db = createDb(inject('databaseUrl'), 1);
  let web: FastifyInstance;
  beforeAll(async () => {
    process.on('warning', onWarning);
    const config = loadConfig({ TANDEM_SECRET: TEST_SECRET, PUBLIC_URL: 'http://tandem.test' });
    web = await buildWebServer({
      db,
      policy: testPolicy(),
      config,
      temporal: async () => {
        throw new Error('no Temporal in this test');
      },
    });
    await web.ready();
    // process 'warning' events are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await web?.close();
    await db.destroy();
  });

  it('passes maxParamLength as a router option, so Fastify warns of nothing deprecated', () => {
    expect(warnings.map((w) => `${(w as { code?: string }).code}: ${w.message}`).filter((w) => w.startsWith('FSTDEP'))).toEqual([]);
  });

  it('routes a token path far longer than the default 100-character parameter cap', async () => {
    const token = `${'x'.repeat(900)}.${'y'.repeat(43)}`;
    const response = await web.inject({ method: 'GET', url: `/a/${token}` });
    // The participant route answers (a forged token is refused by it), not Fastify's "route not found".
    expect(response.body).not.toContain('Route GET:/a/');
    expect(response.headers['content-type']).toContain('text/html');
  });

  describe('TRUST_PROXY', () => {
    async function ipSeen(trustProxy: string | undefined, forwardedFor: string): Promise<string> {
      const config = loadConfig({ TANDEM_SECRET: TEST_SECRET, PUBLIC_URL: 'http://tandem.test', ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}) });
      const app = await buildWebServer({
        db,
        policy: testPolicy(),
        config,
        temporal: async () => {
          throw new Error('no Temporal in this test');
        },
      });
      app.get('/test/ip', async (request) => request.ip);
      try {
        // inject() connects from 127.0.0.1: here that is the proxy.
        return (await app.inject({ method: 'GET', url: '/test/ip', headers: { 'x-forwarded-for': forwardedFor } })).body;
      } finally {
        await app.close();
      }
    }

    it("sees the proxy's address when off, and the client's when the proxy is trusted", async () => {
      expect(await ipSeen(undefined, '203.0.113.7')).toBe('127.0.0.1');
      expect(await ipSeen('127.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
      expect(await ipSeen('loopback', '198.51.100.1, 203.0.113.7')).toBe('203.0.113.7');
      // A trusted range that is not the connecting proxy: the header is ignored.
      expect(await ipSeen('10.0.0.0/8', '203.0.113.7')).toBe('127.0.0.1');
    });
  });
});
