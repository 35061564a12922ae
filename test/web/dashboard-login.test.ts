/** Staff sign-in by emailed link, on the real web server, Postgres and SMTP sink. */
import Fastify from 'fastify';
import { createStaffAuth } from '../../src/web/staff/staff-auth.ts';
import { describe, expect, it } from 'vitest';
import { issueActionToken } from '../../src/security/action-tokens.ts';
import { issueLoginToken } from '../../src/staff/login-links.ts';
import { TEST_SECRET } from '../support/stack.ts';
import { makeStaff, ORIGIN, requestLoginLink, sessionCookie } from './dashboard-support.ts';
import { useWebStack } from './support/web-stack.ts';

describe('staff sign-in by emailed link', () => {
  const env = useWebStack();

  it('answers the same page whether or not the address has an account, and mails only the account', async () => {
    const staff = await makeStaff(env.stack);
    const known = await env.web.inject({ method: 'POST', url: '/login', headers: ORIGIN, payload: { email: staff.email.toUpperCase() } });
    const unknown = await env.web.inject({ method: 'POST', url: '/login', headers: ORIGIN, payload: { email: 'nobody.here@example.edu' } });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    const strip = (body: string, email: string) => body.replaceAll(email, 'EMAIL');
    expect(strip(known.body, staff.email.toUpperCase())).toBe(strip(unknown.body, 'nobody.here@example.edu'));
    await env.stack.mail.waitFor(() => env.stack.mail.to(staff.email).length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(env.stack.mail.to('nobody.here@example.edu')).toEqual([]);
  });

  it('signs in once from the emailed link: confirm page, then a session cookie; the link cannot be reused', async () => {
    const staff = await makeStaff(env.stack);
    const path = await requestLoginLink(env.web, env.stack, staff.email);
    const confirm = await env.web.inject({ method: 'GET', url: path });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('id="login-confirm"');
    // Opening the link (as a mail scanner would) does not spend it.
    expect((await env.web.inject({ method: 'GET', url: path })).statusCode).toBe(200);

    const spent = await env.web.inject({ method: 'POST', url: path, headers: ORIGIN, payload: {} });
    expect(spent.statusCode).toBe(303);
    expect(spent.headers.location).toBe('/dashboard');
    const setCookie = String(spent.headers['set-cookie']);
    expect(setCookie).toMatch(/^tandem_staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    const cookie = sessionCookie(spent);
    // Only a hash of the session id is stored.
    const rows = await env.stack.db.selectFrom('staff_sessions').select('id_hash').where('staff_id', '=', staff.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).not.toContain(cookie.split('=')[1]!);

    const reuse = await env.web.inject({ method: 'POST', url: path, headers: ORIGIN, payload: {} });
    expect(reuse.statusCode).toBe(410);
    expect(reuse.body).toContain('already been used');
    expect(reuse.headers['set-cookie']).toBeUndefined();
    expect((await env.web.inject({ method: 'GET', url: path })).statusCode).toBe(410);
  });

  it('refuses an expired link, a forged one, and a participant action token', async () => {
    const staff = await makeStaff(env.stack);
    const expired = issueLoginToken(TEST_SECRET, staff.id, { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) });
    const forged = issueLoginToken('another-secret-entirely-0123456789abcdef', staff.id);
    const participant = issueActionToken(
      TEST_SECRET,
      { sub: staff.id, cyc: '00000000-0000-0000-0000-000000000000', act: 'give-feedback' },
      { ttlSeconds: 3600 },
    );
    const cases = [
      [expired, 410, 'expired'],
      [forged, 400, 'not issued by Tandem'],
      [participant, 400, 'not a sign-in link'],
    ] as const;
    for (const [token, status, words] of cases) {
      for (const method of ['GET', 'POST'] as const) {
        const response = await env.web.inject({ method, url: `/login/${token}`, headers: ORIGIN, payload: method === 'POST' ? {} : undefined });
        expect(response.statusCode, `${method} ${words}`).toBe(status);
        expect(response.body).toContain(words);
        expect(response.headers['set-cookie']).toBeUndefined();
      }
    }
    expect(await env.stack.db.selectFrom('staff_sessions').select('id_hash').where('staff_id', '=', staff.id).execute()).toEqual([]);
  });

  it('returns to the page asked for after sign-in, but never to another site', async () => {
    const staff = await makeStaff(env.stack);
    const before = env.stack.mail.to(staff.email).length;
    await env.web.inject({ method: 'POST', url: '/login', headers: ORIGIN, payload: { email: staff.email, next: '/dashboard?state=stalled' } });
    await env.stack.mail.waitFor(() => env.stack.mail.to(staff.email).length > before);
    const link = /http:\/\/tandem\.test(\/login\/[^\s]+)/.exec(env.stack.mail.to(staff.email).at(-1)!.parsed.text ?? '')![1]!;
    expect(link).toContain('?next=%2Fdashboard%3Fstate%3Dstalled');
    const confirm = await env.web.inject({ method: 'GET', url: link });
    expect(confirm.body).toContain('name="next" value="/dashboard?state=stalled"');
    const spent = await env.web.inject({ method: 'POST', url: link.split('?')[0]!, headers: ORIGIN, payload: { next: '/dashboard?state=stalled' } });
    expect(spent.headers.location).toBe('/dashboard?state=stalled');

    for (const evil of ['//evil.example/x', '/\\evil.example', 'https://evil.example']) {
      const path = await requestLoginLink(env.web, env.stack, staff.email);
      const response = await env.web.inject({ method: 'POST', url: path, headers: ORIGIN, payload: { next: evil } });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location, evil).toBe('/dashboard');
    }
  });

  it('makes the cookie Secure and __Host- prefixed when PUBLIC_URL is https', async () => {
    const staff = await makeStaff(env.stack);
    const auth = createStaffAuth({ db: env.stack.db, publicUrl: 'https://mentoring.example.edu' });
    const app = Fastify();
    app.post('/in', async (_request, reply) => {
      await auth.signIn(reply, staff.id);
      return 'ok';
    });
    app.get('/who', { onRequest: auth.requireStaffRole('coordinator') }, async (request) => request.staff!.email);
    const response = await app.inject({ method: 'POST', url: '/in' });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-tandem_staff=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    expect((await app.inject({ method: 'GET', url: '/who', headers: { cookie: cookie.split(';')[0]! } })).body).toBe(staff.email);
    // The plain-http name is not accepted in its place.
    expect(
      (await app.inject({ method: 'GET', url: '/who', headers: { accept: 'application/json', cookie: cookie.split(';')[0]!.replace('__Host-', '') } }))
        .statusCode,
    ).toBe(401);
    await app.close();
  });

  it('refuses a sign-in form sent from another origin', async () => {
    const staff = await makeStaff(env.stack);
    const ask = await env.web.inject({ method: 'POST', url: '/login', headers: { origin: 'https://evil.example' }, payload: { email: staff.email } });
    expect(ask.statusCode).toBe(403);
    const path = await requestLoginLink(env.web, env.stack, staff.email);
    const noOrigin = await env.web.inject({ method: 'POST', url: path, payload: {} });
    expect(noOrigin.statusCode).toBe(403);
    expect(noOrigin.headers['set-cookie']).toBeUndefined();
    // The opaque origin a no-referrer page posts with counts only when Fetch Metadata says same-origin.
    const opaqueCrossSite = await env.web.inject({ method: 'POST', url: path, headers: { origin: 'null', 'sec-fetch-site': 'cross-site' }, payload: {} });
    expect(opaqueCrossSite.statusCode).toBe(403);
    const opaqueBare = await env.web.inject({ method: 'POST', url: path, headers: { origin: 'null' }, payload: {} });
    expect(opaqueBare.statusCode).toBe(403);
    const opaqueSameOrigin = await env.web.inject({ method: 'POST', url: path, headers: { origin: 'null', 'sec-fetch-site': 'same-origin' }, payload: {} });
    expect(opaqueSameOrigin.statusCode).toBe(303);
  });

  it('names the field when the address is malformed, and keeps what was typed', async () => {
    const response = await env.web.inject({ method: 'POST', url: '/login', headers: ORIGIN, payload: { email: 'not-an-address' } });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Email: enter a whole address');
    expect(response.body).toContain('value="not-an-address"');
  });

  it('limits link requests per address', async () => {
    const staff = await makeStaff(env.stack);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await env.web.inject({ method: 'POST', url: '/login', headers: ORIGIN, payload: { email: staff.email } })).statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await env.web.inject({ method: 'POST', url: '/login', headers: ORIGIN, payload: { email: staff.email } });
    expect(limited.body).toContain('Too many sign-in requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits link requests per IP across addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const response = await env.web.inject({
        method: 'POST',
        url: '/login',
        headers: ORIGIN,
        remoteAddress: '203.0.113.9',
        payload: { email: `someone.${i}@example.edu` },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.at(-1)).toBe(429);
  });
});
