/**
 * GET /calendar/:token.ics — a participant's private calendar feed. The token is a signed
 * action link with act `calendar-feed`; it names the person and nothing else is needed.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { renderCalendarFeed } from '../mail/calendar-feed.ts';
import { ActionTokenError, verifyActionToken } from '../security/action-tokens.ts';

export interface CalendarFeedRoutesOptions {
  db: Kysely<Database>;
  secret: string;
  departmentName: string;
}

export const calendarFeedRoutes: FastifyPluginAsync<CalendarFeedRoutesOptions> = async (web, options) => {
  // A wildcard, not `:file`: a signed token is longer than Fastify's default maxParamLength (100).
  web.get<{ Params: { '*': string } }>('/calendar/*', async (request, reply) => {
    const file = request.params['*'];
    const notFound = (message: string, status = 404) => reply.code(status).type('text/plain; charset=utf-8').send(message);
    if (!file.endsWith('.ics') || file.includes('/')) return notFound('No such calendar.');
    let personId: string;
    try {
      const claims = verifyActionToken(options.secret, file.slice(0, -'.ics'.length));
      if (claims.act !== 'calendar-feed') return notFound('This link is not a calendar link.');
      personId = claims.sub;
    } catch (error) {
      if (error instanceof ActionTokenError) return notFound(error.message, error.problem === 'expired' ? 410 : 404);
      throw error;
    }
    const feed = await renderCalendarFeed(options.db, personId, { departmentName: options.departmentName });
    if (feed === null) return notFound('No such calendar.');
    return reply
      .type('text/calendar; charset=utf-8')
      .header('cache-control', 'private, max-age=300')
      .header('content-disposition', 'inline; filename="mentoring-check-ins.ics"')
      .send(feed);
  });
};
