/**
 * Links that must not work, and the protections around the ones that do: missing,
 * malformed, forged, expired and reused tokens; another person's link aimed at a different
 * cycle; cross-site posts; a body that does not fit the schema; names rendered as text;
 * Temporal away (what was typed is saved, the link stays usable).
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { issueActionToken } from '../../src/security/action-tokens.ts';
import { buildWebServer } from '../../src/web/server.ts';
import { enrollTestPair, view } from '../support/cycle.ts';
import { TEST_SECRET } from '../support/stack.ts';
import { EXPECTATIONS, fieldValue, linkFromMail, postForm, PUBLIC_URL, SAME_SITE } from './support/participant-web.ts';
import { useWebStack } from './support/web-stack.ts';

describe('participant pages: links that must not work', () => {
  const env = useWebStack();

  const coordinator = () => env.stack.policy.department.coordinators[0]!.email;

  it('answers a missing, malformed, forged or expired link with a page that says what to do', async () => {
    const c = await enrollTestPair(env.stack);
    const real = await linkFromMail(env.stack, c.mentorEmail, 'share-expectations');
    const [payload, signature] = real.slice('/a/'.length).split('.') as [string, string];

    const missing = await env.web.inject({ method: 'GET', url: '/a/' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('needs the link from your email');

    for (const url of ['/a/not-a-token', `/a/${payload}`, `/a/${payload}.${signature}.extra`, `/a/${payload}.${signature}%3Cscript%3E`]) {
      const response = await env.web.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.body).toContain('This link is incomplete');
    }

    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherSecret = issueActionToken(
      'another-deployment-secret-0123456789abcdef',
      { sub: c.mentorId, cyc: c.cycleId, act: 'share-expectations' },
      { ttlSeconds: 3600 },
    );
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), act: 'review-goals' })).toString('base64url');
    for (const url of [`/a/${payload}.${flipped}`, `/a/${otherSecret}`, `/a/${tampered}.${signature}`]) {
      const response = await env.web.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(403);
      expect(response.body).toContain('This link is not valid');
      expect(response.body).toContain(coordinator());
      const posted = await postForm(env.web, url, EXPECTATIONS);
      expect(posted.statusCode).toBe(403);
    }

    const expired = issueActionToken(
      TEST_SECRET,
      { sub: c.mentorId, cyc: c.cycleId, act: 'share-expectations', stp: 'expectations' },
      { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) },
    );
    const old = await env.web.inject({ method: 'GET', url: `/a/${expired}` });
    expect(old.statusCode).toBe(410);
    expect(old.body).toContain('This link has expired');
    expect(old.body).toMatch(/This link to share your expectations expired on \d{4}-\d{2}-\d{2}\./);
    expect(old.body).toContain('Getting a fresh link');
    expect(old.body).toContain(`mailto:${coordinator()}`);
    expect((await postForm(env.web, `/a/${expired}`, EXPECTATIONS)).statusCode).toBe(410);

    // A calendar-feed link is not a page.
    const feed = issueActionToken(TEST_SECRET, { sub: c.mentorId, cyc: c.cycleId, act: 'calendar-feed' }, { ttlSeconds: 3600 });
    expect((await env.web.inject({ method: 'GET', url: `/a/${feed}` })).statusCode).toBe(404);

    expect(await env.stack.db.selectFrom('expectations').select('id').where('cycle_id', '=', c.cycleId).execute()).toEqual([]);
    await c.handle.terminate('test over');
  });

  it('never lets one person act on another pair’s cycle', async () => {
    const mine = await enrollTestPair(env.stack);
    const theirs = await enrollTestPair(env.stack);
    // Validly signed, but the person is not in that cycle's pair.
    const crossed = `/a/${issueActionToken(TEST_SECRET, { sub: mine.mentorId, cyc: theirs.cycleId, act: 'share-expectations', stp: 'expectations' }, { ttlSeconds: 3600 })}`;
    const page = await env.web.inject({ method: 'GET', url: crossed });
    expect(page.statusCode).toBe(403);
    expect(page.body).not.toContain(theirs.menteeEmail);
    expect((await postForm(env.web, crossed, EXPECTATIONS)).statusCode).toBe(403);
    expect(await env.stack.db.selectFrom('expectations').select('id').where('cycle_id', '=', theirs.cycleId).execute()).toEqual([]);
    expect((await view(theirs)).steps[0]!.phase).toBe('awaiting-share');

    // The mentee of a pair cannot use the mentor's page of that same pair.
    const asMentee = `/a/${issueActionToken(TEST_SECRET, { sub: mine.menteeId, cyc: mine.cycleId, act: 'share-expectations' }, { ttlSeconds: 3600 })}`;
    expect((await env.web.inject({ method: 'GET', url: asMentee })).statusCode).toBe(403);
    await mine.handle.terminate('test over');
    await theirs.handle.terminate('test over');
  });

  it('refuses cross-site posts and bodies that do not fit the form, and protects token pages', async () => {
    const c = await enrollTestPair(env.stack);
    const link = await linkFromMail(env.stack, c.mentorEmail, 'share-expectations');
    const page = await env.web.inject({ method: 'GET', url: link });
    expect(page.headers).toMatchObject({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' });
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");

    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null', 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of crossSite) {
      const response = await postForm(env.web, link, EXPECTATIONS, headers);
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.body).toContain('sent from another website');
    }
    const tooLong = await postForm(env.web, link, { ...EXPECTATIONS, meeting_local_time: '10:30'.repeat(10) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.headers['content-type']).toContain('text/html');
    expect(tooLong.body).toContain('The form could not be read');
    expect(await env.stack.db.selectFrom('expectations').select('id').where('cycle_id', '=', c.cycleId).execute()).toEqual([]);

    // Our own origin is fine, as is a client that sends neither header.
    expect((await postForm(env.web, link, EXPECTATIONS, { origin: PUBLIC_URL })).statusCode).toBe(200);
    await c.handle.terminate('test over');
  });

  it('renders a name like <script> as text', async () => {
    const c = await enrollTestPair(env.stack, { menteePreferredName: '<script>alert(1)</script>' });
    const link = await linkFromMail(env.stack, c.mentorEmail, 'share-expectations');
    const page = await env.web.inject({ method: 'GET', url: link });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Share your expectations with &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>');
    await c.handle.terminate('test over');
  });

  it('keeps what was typed when Temporal cannot be reached, and the same link works afterwards', async () => {
    const c = await enrollTestPair(env.stack);
    const link = await linkFromMail(env.stack, c.mentorEmail, 'share-expectations');
    const config = loadConfig({ TANDEM_SECRET: TEST_SECRET, PUBLIC_URL, DATABASE_URL: 'postgres://unused@127.0.0.1/unused' });
    const cutOff = await buildWebServer({
      db: env.stack.db,
      policy: env.stack.policy,
      config,
      temporal: async () => {
        throw new Error('connection refused');
      },
    });
    try {
      const down = await postForm(cutOff, link, EXPECTATIONS, SAME_SITE);
      // Not known to have failed (a first send with this link might have gone through): said so, not "failed".
      expect(down.statusCode).toBe(202);
      expect(down.body).toContain('Sent, not confirmed yet');
      expect(fieldValue(down.body, 'leave_contingencies')).toBe(EXPECTATIONS.leave_contingencies);
    } finally {
      await cutOff.close();
    }
    expect(await env.stack.db.selectFrom('expectations').select('leave_contingencies').where('cycle_id', '=', c.cycleId).execute()).toEqual([
      { leave_contingencies: EXPECTATIONS.leave_contingencies },
    ]);
    // Not used up: opened again, the form starts from what was saved; sent again, it goes through.
    const back = await env.web.inject({ method: 'GET', url: link });
    expect(back.statusCode).toBe(200);
    expect(fieldValue(back.body, 'leave_contingencies')).toBe(EXPECTATIONS.leave_contingencies);
    expect((await postForm(env.web, link, EXPECTATIONS)).statusCode).toBe(200);
    expect((await view(c)).steps[0]!.phase).toBe('shared');
    // The second send reused the first one's saved version rather than storing another.
    expect(await env.stack.db.selectFrom('expectations').select('version').where('cycle_id', '=', c.cycleId).execute()).toEqual([{ version: 1 }]);
    await c.handle.terminate('test over');
  });
});
