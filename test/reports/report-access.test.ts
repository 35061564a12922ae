/**
 * The report pages are for coordinators only; the IDP form needs its CSRF token and the same
 * origin, refuses a list too large to read with a page, and counts nothing for a list with a bad line.
 */
import { describe, expect, it } from 'vitest';
import { makeStaff, ORIGIN, signIn } from '../web/dashboard-support.ts';
import { useWebStack } from '../web/support/web-stack.ts';

/** A multipart/form-data body as a browser sends the IDP form. */
function multipart(fields: Record<string, string>, file?: { name: string; content: string }): { payload: string; headers: Record<string, string> } {
  const boundary = '----tandem-test-boundary';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  if (file)
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`);
  return { payload: `${parts.join('')}--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('who may read the reports', () => {
  const env = useWebStack();

  it('refuses staff without the coordinator role, and sends a signed-out visitor to sign in', async () => {
    const evaluator = await makeStaff(env.stack, ['evaluation'], 'Eve Evaluator');
    const { cookie } = await signIn(env.web, env.stack, evaluator.email);
    for (const url of ['/dashboard/policy', '/dashboard/reports', '/dashboard/reports.csv', '/dashboard/reports/idp']) {
      expect((await env.web.inject({ method: 'GET', url, headers: { cookie, accept: 'text/html' } })).statusCode, url).toBe(403);
      const anonymous = await env.web.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(anonymous.statusCode, url).toBe(303);
      expect(anonymous.headers.location).toContain('/login?next=');
    }
  });

  it('takes the IDP form only with its token from Tandem, and answers an oversized upload with the page', async () => {
    const coordinator = await makeStaff(env.stack, ['coordinator']);
    const { cookie, csrf } = await signIn(env.web, env.stack, coordinator.email);

    const noToken = multipart({ emails: 'a@example.edu' });
    expect(
      (await env.web.inject({ method: 'POST', url: '/dashboard/reports/idp', headers: { ...ORIGIN, cookie, ...noToken.headers }, payload: noToken.payload }))
        .statusCode,
    ).toBe(403);
    const withToken = multipart({ _csrf: csrf, emails: 'a@example.edu' });
    expect(
      (
        await env.web.inject({
          method: 'POST',
          url: '/dashboard/reports/idp',
          headers: { origin: 'https://elsewhere.example', cookie, ...withToken.headers },
          payload: withToken.payload,
        })
      ).statusCode,
    ).toBe(403);

    const unknown = await env.web.inject({
      method: 'POST',
      url: '/dashboard/reports/idp',
      headers: { ...ORIGIN, cookie, ...withToken.headers },
      payload: withToken.payload,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('Line 1: “a@example.edu” is nobody in Tandem.');
    expect(unknown.body).not.toContain('id="idp-statement"');

    const csv = multipart({ _csrf: csrf, format: 'csv', emails: 'not-an-email\n' });
    const refused = await env.web.inject({
      method: 'POST',
      url: '/dashboard/reports/idp',
      headers: { ...ORIGIN, cookie, ...csv.headers },
      payload: csv.payload,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('text/html');

    const huge = multipart({ _csrf: csrf }, { name: 'trainees.csv', content: 'x@example.edu\n'.repeat(80_000) });
    const tooLarge = await env.web.inject({
      method: 'POST',
      url: '/dashboard/reports/idp',
      headers: { ...ORIGIN, cookie, ...huge.headers },
      payload: huge.payload,
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.body).toContain('the list is larger than 1 MB; nothing was counted');

    const nothing = multipart({ _csrf: csrf });
    const empty = await env.web.inject({
      method: 'POST',
      url: '/dashboard/reports/idp',
      headers: { ...ORIGIN, cookie, ...nothing.headers },
      payload: nothing.payload,
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Give the trainees: paste their emails, upload a list, or choose a program.');
  });
});
