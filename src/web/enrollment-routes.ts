/**
 * POST /api/enrollments — the roster import over HTTP, for a department's own systems.
 * Body: the roster as text/csv; `?dryRun=true` previews. Authenticated with the bearer token
 * TANDEM_API_TOKEN; without one configured the endpoint does not exist (404).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AppContext } from '../app-context.ts';
import type { Policy } from '../domain/policy.ts';
import { MAX_ROSTER_BYTES } from '../enrollment/roster-limits.ts';
import { runRosterImport } from '../enrollment/run-roster-import.ts';

export interface EnrollmentRoutesOptions {
  db: Kysely<Database>;
  policy: Policy;
  /** Unset: the API is disabled. */
  apiToken: string | undefined;
  /** Called on the first authorised request; the client is closed with the server when `owned`. */
  temporal: () => Promise<{ client: Client; taskQueue: string; owned: boolean }>;
  concurrency?: number;
}

/** Options from the app context: the token, concurrency and Temporal settings come from its config. */
export function enrollmentRoutesOptions(app: Pick<AppContext, 'db' | 'policy'> & Partial<Pick<AppContext, 'config'>>): EnrollmentRoutesOptions {
  const config = app.config;
  return {
    db: app.db,
    policy: app.policy,
    apiToken: config?.apiToken,
    concurrency: config?.enrollConcurrency,
    temporal: async () => {
      const { connectClient } = await import('../temporal/connection.ts');
      return { client: await connectClient(config!.temporal), taskQueue: config!.temporal.taskQueue, owned: true };
    },
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares digests of equal length, so the time taken says nothing about the token. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export const enrollmentRoutes: FastifyPluginAsync<EnrollmentRoutesOptions> = async (web, options) => {
  let temporal: Promise<{ client: Client; taskQueue: string; owned: boolean }> | undefined;
  web.addHook('onClose', async () => {
    if (!temporal) return;
    const t = await temporal.catch(() => undefined);
    if (t?.owned) await t.client.connection.close();
  });
  web.addContentTypeParser(['text/csv', 'text/plain', 'application/csv'], { parseAs: 'buffer', bodyLimit: MAX_ROSTER_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  web.post<{ Querystring: { dryRun?: boolean }; Body: Buffer }>(
    '/api/enrollments',
    {
      schema: {
        querystring: { type: 'object', properties: { dryRun: { type: 'boolean', default: false } }, additionalProperties: false },
      },
    },
    async (request, reply) => {
      const expected = options.apiToken;
      if (!expected) return reply.code(404).send({ error: 'The enrollment API is disabled: set TANDEM_API_TOKEN to enable it.' });
      const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!given || !tokenMatches(given, expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'A valid bearer token is required.' });
      }
      if (!Buffer.isBuffer(request.body)) return reply.code(415).send({ error: 'Send the roster as a text/csv body.' });
      temporal ??= options.temporal();
      const { client, taskQueue } = await temporal;
      // The page's and the CLI's path: recorded upload, cycles started by the import's own workflow.
      const result = await runRosterImport(
        { db: options.db, temporal: client, taskQueue, policy: options.policy },
        request.body,
        { source: 'api' },
        {
          dryRun: request.query.dryRun,
          concurrency: options.concurrency,
          fileName: 'API upload',
        },
      );
      if (!result.ok) return reply.code(422).send({ imported: false, problems: result.problems });
      const body = {
        imported: !result.summary.dryRun,
        summary: result.summary,
        updatedPeople: result.plan.updatedPeople,
        missingPairs: result.plan.missingPairs,
      };
      // The rows are saved but some cycles did not start: the same request again finishes the job.
      return reply.code(result.summary.startError ? 503 : 200).send(body);
    },
  );
};
