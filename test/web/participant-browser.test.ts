/**
 * A participant completes a step in a real browser (headless Debian Chromium driven by
 * playwright-core): the mentor opens the link from the email, fills in the form with the
 * keyboard, fixes a mistake the page points out, and shares; the workflow moves. This is
 * also the check that a real browser's form post passes the cross-site guard (with
 * `Referrer-Policy: no-referrer` Chromium sends `Origin: null` plus `Sec-Fetch-Site`).
 * Screenshots go to test-artifacts/screenshots/participant/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { buildWebServer } from '../../src/web/server.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { enrollTestPair, view } from '../support/cycle.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../support/stack.ts';
import { EXPECTATIONS, linkFromMail } from './support/participant-web.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(SCREENSHOT_DIR, 'participant');

describe('participant pages in a browser', () => {
  let stack: TestStack;
  let web: FastifyInstance;
  let origin: string;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install the Debian package "chromium" or set CHROMIUM_PATH`);
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startTestStack();
    // Listen first, then build the app whose PUBLIC_URL is where it listens, as in production.
    const probe = await buildWebServer({
      db: stack.db,
      policy: stack.policy,
      config: loadConfig({ TANDEM_SECRET: TEST_SECRET, DATABASE_URL: 'postgres://unused@127.0.0.1/unused' }),
      temporal: async () => stack.client,
    });
    await probe.listen({ host: '127.0.0.1', port: 0 });
    const port = (probe.server.address() as AddressInfo).port;
    await probe.close();
    origin = `http://127.0.0.1:${port}`;
    web = await buildWebServer({
      db: stack.db,
      policy: stack.policy,
      config: loadConfig({ TANDEM_SECRET: TEST_SECRET, PUBLIC_URL: origin, DATABASE_URL: 'postgres://unused@127.0.0.1/unused' }),
      temporal: async () => stack.client,
    });
    await web.listen({ host: '127.0.0.1', port });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await stack?.close();
  });

  it('lets a mentor share expectations from the emailed link, fixing a mistake the page points out', async () => {
    const c = await enrollTestPair(stack);
    const link = await linkFromMail(stack, c.mentorEmail, 'share-expectations');
    const page = await browser.newPage();
    await page.goto(`${origin}${link}`);
    await page.screenshot({ path: path.join(ARTIFACTS, '1-share-form.png'), fullPage: true });

    // On a phone the form fits the screen (opening the link does not spend it).
    const phone = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await phone.goto(`${origin}${link}`);
    await phone.screenshot({ path: path.join(ARTIFACTS, '1-share-form-phone.png'), fullPage: true });
    expect(await phone.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    await phone.close();

    await page.getByLabel('How often you will meet').fill('14');
    await page.getByLabel('Video call').check();
    await page.getByLabel('Room or video link').fill(EXPECTATIONS.meeting_location);
    await page.getByLabel('How quickly you each reply').fill(EXPECTATIONS.response_time_norms);
    await page.getByLabel('During leave or travel').fill(EXPECTATIONS.leave_contingencies);
    // Work-life boundaries left empty: the page says so, and keeps the rest.
    await page.getByRole('button', { name: /^Share with/ }).press('Enter');
    await page.waitForLoadState();
    expect(await page.getByRole('alert').first().textContent()).toContain('Enter your work-life boundaries.');
    expect(await page.getByLabel('During leave or travel').inputValue()).toBe(EXPECTATIONS.leave_contingencies);
    await page.screenshot({ path: path.join(ARTIFACTS, '2-share-error.png'), fullPage: true });

    await page.getByRole('link', { name: 'Enter your work-life boundaries.' }).click();
    await page.keyboard.type(EXPECTATIONS.work_life_boundaries);
    expect(await page.getByLabel('Work-life boundaries').inputValue()).toBe(EXPECTATIONS.work_life_boundaries);
    await page.getByRole('button', { name: /^Share with/ }).click();
    await page.waitForLoadState();
    expect(await page.textContent('main')).toContain('Your expectations are shared with');
    await page.screenshot({ path: path.join(ARTIFACTS, '3-share-done.png'), fullPage: true });
    expect((await view(c)).steps[0]).toMatchObject({ phase: 'shared', owedBy: 'mentee' });

    // Back and submit again: the link is spent.
    await page.goto(`${origin}${link}`);
    expect(await page.textContent('main')).toContain('This link has already been used');
    await page.close();
    await c.handle.terminate('test over');
  });
});
