/**
 * University sign-in in a real browser against a real OpenID provider started in this process
 * (oidc-provider): a staff member lands in their own area; someone without a staff account
 * gets the page saying whom to ask; a wrong state, a replayed code and an unverified email are
 * each refused with a page and start no session; an issuer that does not answer is a page,
 * not a 500; and emailed links can be switched off.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.ts';
import { scrollsSideways, seriousAxeViolations } from '../support/page-checks.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeStaff } from './dashboard-support.ts';
import { pickOrigin, startListeningWeb, type ListeningWeb } from './support/listening-web.ts';
import { freePort } from '../../src/dev/free-port.ts';

describe('university sign-in (OpenID Connect)', () => {
  let stack: TestStack;
  let idp: TestOidcProvider;
  let app: ListeningWeb;
  let browser: { browser: Browser; close(): Promise<void> };
  let evaluator: { id: string; email: string };

  beforeAll(async () => {
    stack = await startTestStack();
    const origin = await pickOrigin();
    idp = await startOidcProvider({ redirectUri: `${origin}/login/oidc/callback` });
    app = await startListeningWeb(stack, origin, { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret });
    evaluator = await makeStaff(stack, ['evaluation'], 'Eva Evaluator');
    idp.accounts.set('eva', { email: evaluator.email.toUpperCase(), emailVerified: true });
    idp.accounts.set('stranger', { email: 'stranger@example.edu', emailVerified: true });
    idp.accounts.set('unverified', { email: evaluator.email, emailVerified: false, domainVerified: true });
    idp.accounts.set('silent', { email: evaluator.email });
    idp.accounts.set('entra', { email: evaluator.email, domainVerified: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await idp?.close();
    await stack?.close();
  });

  async function freshPage(): Promise<{ context: BrowserContext; page: Page; callbacks: string[] }> {
    const context = await browser.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const callbacks: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${app.origin}/login/oidc/callback`)) callbacks.push(r.url());
    });
    return { context, page, callbacks };
  }

  /** From Tandem's sign-in page through the provider's own login and consent, by keyboard. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.goto(`${app.origin}/login`);
    await page.getByRole('link', { name: 'Sign in with your university account' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill('any password');
    await page.locator('button[type=submit]').click();
    // The provider asks for consent the first time an account signs in to Tandem.
    const consent = page.getByRole('button', { name: 'Continue' });
    const back = page.waitForURL((url) => url.href.startsWith(app.origin));
    await Promise.race([back, consent.waitFor()]);
    if (await consent.isVisible()) await consent.click();
    await page.waitForURL((url) => url.href.startsWith(app.origin) && !url.pathname.startsWith('/login/oidc/start'));
  }

  const sessionCookie = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === 'tandem_staff');

  it('offers university sign-in on the sign-in page, which passes axe and fits a phone', async () => {
    const { context, page } = await freshPage();
    await page.goto(`${app.origin}/login`);
    expect(await page.getByRole('link', { name: 'Sign in with your university account' }).count()).toBe(1);
    // Emailed links are still offered alongside.
    expect(await page.getByRole('button', { name: 'Email me a sign-in link' }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'staff/oidc-01-login');
    await context.close();
  });

  it('lands a staff member in their own area (evaluation only) by their verified email', async () => {
    const { context, page } = await freshPage();
    await signInAtProvider(page, 'eva');
    await page.waitForURL(`${app.origin}/evaluation`);
    expect(await page.locator('header').textContent()).toContain('Eva Evaluator');
    expect(await sessionCookie(context)).toBeDefined();
    const last = await stack.db.selectFrom('staff').select('last_signed_in_at').where('id', '=', evaluator.id).executeTakeFirstOrThrow();
    expect(last.last_signed_in_at).not.toBeNull();
    await screenshot(page, 'staff/oidc-02-evaluation');
    await context.close();
  });

  it('sends someone without a staff account to the page saying whom to ask', async () => {
    const coordinator = await makeStaff(stack, ['coordinator'], 'Casey Coordinator');
    const { context, page } = await freshPage();
    await signInAtProvider(page, 'stranger');
    expect(await page.locator('h1').textContent()).toBe('Ask your coordinator for an account');
    const text = await page.textContent('main');
    expect(text).toContain('stranger@example.edu');
    expect(text).toContain(coordinator.email);
    expect(await sessionCookie(context)).toBeUndefined();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'staff/oidc-03-ask-your-coordinator');
    await context.close();
  });

  it('refuses an email the provider has not verified, or says nothing about', async () => {
    for (const login of ['unverified', 'silent']) {
      const { context, page } = await freshPage();
      await signInAtProvider(page, login);
      expect(await page.locator('h1').textContent(), login).toBe('No verified email address');
      expect(await sessionCookie(context)).toBeUndefined();
      await context.close();
    }
  });

  it("accepts Entra ID's domain-verified claim when the provider sends no email_verified", async () => {
    const { context, page } = await freshPage();
    await signInAtProvider(page, 'entra');
    await page.waitForURL(`${app.origin}/evaluation`);
    expect(await sessionCookie(context)).toBeDefined();
    await context.close();
  });

  it('refuses a callback with a state it never sent, and a replayed code, without a session', async () => {
    const { context, page, callbacks } = await freshPage();
    const forged = await page.goto(`${app.origin}/login/oidc/callback?code=abc&state=not-one-of-ours`);
    expect(forged!.status()).toBe(400);
    expect(await page.locator('#oidc-problem').textContent()).toContain('was not started here');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await signInAtProvider(page, 'eva');
    await page.waitForURL(`${app.origin}/evaluation`);
    const callback = callbacks.at(-1)!;
    await context.clearCookies();
    // The same callback again: its state is spent.
    const replayed = await page.goto(callback);
    expect(replayed!.status()).toBe(400);
    expect(await sessionCookie(context)).toBeUndefined();
    // The old code under a state of a new attempt: the provider refuses the code (used, and another PKCE verifier).
    const start = await context.request.get(`${app.origin}/login/oidc/start`, { maxRedirects: 0 });
    const state = new URL(start.headers().location!).searchParams.get('state')!;
    const code = new URL(callback).searchParams.get('code')!;
    const reused = await page.goto(
      `${app.origin}/login/oidc/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(idp.issuer)}`,
    );
    expect(reused!.status()).toBe(400);
    expect(await page.locator('#oidc-problem').textContent()).toContain('refused the answer it was given back');
    expect(await sessionCookie(context)).toBeUndefined();
    await context.close();
  });

  it('answers a page, not a 500, when the issuer does not answer', async () => {
    const origin = await pickOrigin();
    const down = await startListeningWeb(stack, origin, { OIDC_ISSUER: `http://127.0.0.1:${await freePort()}`, OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' });
    try {
      const before = await stack.db
        .selectFrom('staff_oidc_logins')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const response = await down.web.inject({ method: 'GET', url: '/login/oidc/start' });
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('University sign-in is not answering');
      const after = await stack.db
        .selectFrom('staff_oidc_logins')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
    } finally {
      await down.close();
    }
  });

  it('answers a page when the provider goes down between the sign-in and the callback, in another web process', async () => {
    const origin = await pickOrigin();
    const flaky = await startOidcProvider({ redirectUri: `${origin}/login/oidc/callback` });
    flaky.accounts.set('eva', { email: evaluator.email, emailVerified: true });
    const env = { OIDC_ISSUER: flaky.issuer, OIDC_CLIENT_ID: flaky.clientId, OIDC_CLIENT_SECRET: flaky.clientSecret };
    const first = await startListeningWeb(stack, origin, env);
    const context = await browser.browser.newContext();
    const page = await context.newPage();
    const callbacks: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${origin}/login/oidc/callback`)) callbacks.push(r.url());
    });
    let second: ListeningWeb | undefined;
    try {
      await page.goto(`${origin}/login`);
      await page.getByRole('link', { name: 'Sign in with your university account' }).click();
      await page.locator('input[name=login]').fill('eva');
      await page.locator('input[name=password]').fill('any password');
      await page.locator('button[type=submit]').click();
      // The web process that started the sign-in stops before the browser comes back…
      await page.getByRole('button', { name: 'Continue' }).waitFor();
      await first.close();
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => callbacks.length).toBeGreaterThan(0);
      // …and the provider goes down; another web process (same database) gets the callback.
      await flaky.close();
      second = await startListeningWeb(stack, origin, env);
      // A new tab of the same browser: the first is still settling its failed navigation.
      const again = await context.newPage();
      const response = await again.goto(callbacks[0]!);
      expect(response!.status()).toBe(503);
      expect(await again.locator('h1').textContent()).toBe('University sign-in is not answering');
      expect((await context.cookies()).find((c) => c.name === 'tandem_staff')).toBeUndefined();
    } finally {
      await context.close();
      await second?.close();
    }
  });

  it('with STAFF_EMAIL_SIGN_IN=false offers only university sign-in and sends no link', async () => {
    const origin = await pickOrigin();
    const only = await startListeningWeb(stack, origin, {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      STAFF_EMAIL_SIGN_IN: 'false',
    });
    try {
      const form = await only.web.inject({ method: 'GET', url: '/login' });
      expect(form.body).toContain('Sign in with your university account');
      expect(form.body).not.toContain('Email me a sign-in link');
      const before = stack.mail.to(evaluator.email).length;
      const asked = await only.web.inject({ method: 'POST', url: '/login', headers: { origin }, payload: { email: evaluator.email } });
      expect(asked.statusCode).toBe(403);
      expect(asked.body).toContain('switched off');
      expect(stack.mail.to(evaluator.email).length).toBe(before);
    } finally {
      await only.close();
    }
  });
});
