/**
 * Inputs that used to slip past the staff areas and the calendar feed: every staff area sends
 * the same security headers, a damaged session cookie is no session (never a 500), control
 * characters in filters are refused by the schema (never reaching Postgres), feed tokens are
 * matched whole, a CSV cell holding ";" stays one cell in a ";"-separated spreadsheet, and a
 * database that fails answers a page of our own words, never the database's.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueActionToken } from '../../src/security/action-tokens.ts';
import { TEST_SECRET } from '../support/stack.ts';
import { createDb } from '../../db/connection.ts';
import { buildTestWeb, makeStaff, seedCycle, signIn } from './dashboard-support.ts';
import { useWebStack } from './support/web-stack.ts';

describe('staff areas and feeds refuse malformed input', () => {
  const env = useWebStack();
  let session: { cookie: string; csrf: string };
  beforeAll(async () => {
    const staff = await makeStaff(env.stack, ['coordinator', 'evaluation', 'resource']);
    session = await signIn(env.web, env.stack, staff.email);
  });
  const get = (url: string, cookie = session.cookie) => env.web.inject({ method: 'GET', url, headers: { cookie } });

  it('sends the dashboard’s security headers from the evaluation and resources areas too, signed in or not', async () => {
    const dashboard = await get('/dashboard');
    for (const url of ['/evaluation', '/resources/help-requests']) {
      for (const cookie of [session.cookie, '']) {
        const response = await get(url, cookie);
        expect(response.statusCode, `${url} ${cookie ? 'signed in' : 'signed out'}`).toBeLessThan(500);
        for (const header of ['x-frame-options', 'x-content-type-options', 'referrer-policy']) {
          expect(response.headers[header], `${url} ${header}`).toBe(dashboard.headers[header]);
        }
        if (String(response.headers['content-type']).startsWith('text/html')) {
          expect(response.headers['content-security-policy'], url).toBe(dashboard.headers['content-security-policy']);
        }
      }
    }
  });

  it('answers a failing database with its own words and a reference, never the database’s message', async () => {
    // A database that does not exist fails every query with Postgres's own text (naming the database).
    const missing = `tandem_missing_${randomUUID().slice(0, 8)}`;
    const db = createDb(`postgres://postgres@127.0.0.1:5432/${missing}`, 1);
    const broken = await buildTestWeb(env.stack, { db });
    try {
      for (const url of ['/dashboard', '/evaluation', '/resources/help-requests']) {
        const response = await broken.inject({ method: 'GET', url, headers: { cookie: session.cookie, accept: 'text/html' } });
        expect(response.statusCode, url).toBe(500);
        expect(response.body, url).toContain('Something went wrong on our side');
        expect(response.body, url).toMatch(/<code id="request-id">[^<]+<\/code>/);
        expect(response.body, url).not.toContain(missing);
        expect(response.body, url).not.toMatch(/does not exist|postgres|database/i);
        expect(response.headers['content-security-policy'], url).toBeDefined();
      }
    } finally {
      await broken.close();
      await db.destroy();
    }
  });

  it('treats a damaged session cookie as no session: the sign-in page, not a 500', async () => {
    for (const cookie of ['tandem_staff=%', 'tandem_staff=%E0%A4%A', 'tandem_staff=%00']) {
      const response = await get('/dashboard', cookie);
      expect(response.statusCode, cookie).toBe(303);
      expect(response.headers.location).toBe('/login?next=%2Fdashboard');
    }
  });

  it('refuses a NUL or other control character in a filter with a page naming the field, for the list and the CSV', async () => {
    for (const url of [
      '/dashboard?program=a%00b',
      '/dashboard/export.csv?program=a%00b',
      '/dashboard?mentor=a%00b%40example.edu',
      '/dashboard?program=tab%09here',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.body, url).not.toMatch(/invalid byte sequence|0x00|syntax error|postgres/i);
      expect(response.body, url).toMatch(/program|mentor/);
    }
  });

  it('quotes a cell holding ";" so a ";"-separated spreadsheet cannot split it into a formula', async () => {
    const program = `Semicolon ${randomUUID().slice(0, 6)}`;
    await seedCycle(env.stack, { program, mentorName: 'Zed;=1+1' });
    const response = await get(`/dashboard/export.csv?program=${encodeURIComponent(program)}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('"Zed;=1+1"');
    const bySemicolon = parse(response.body, { delimiter: ';', relax_quotes: true, relax_column_count: true }) as string[][];
    // Read with ";" as the separator, no cell of the data row starts a formula.
    for (const cell of bySemicolon.slice(1).flat()) expect(cell.startsWith('=')).toBe(false);
  });

  it('matches a calendar feed token whole: trailing junk is not the same token', async () => {
    const { pairId } = await seedCycle(env.stack, { program: 'Feed check' });
    const pair = await env.stack.db.selectFrom('pairs').select('mentee_id').where('id', '=', pairId).executeTakeFirstOrThrow();
    const token = issueActionToken(TEST_SECRET, { sub: pair.mentee_id, cyc: '', act: 'calendar-feed' }, { ttlSeconds: 3600 });
    expect((await env.web.inject({ method: 'GET', url: `/calendar/${token}.ics` })).statusCode).toBe(200);
    for (const junk of ['%00', '%20', '!', '%0A']) {
      const response = await env.web.inject({ method: 'GET', url: `/calendar/${token}${junk}.ics` });
      expect(response.statusCode, junk).toBe(404);
    }
  });
});
