/**
 * Fall enrollment as a coordinator does it, in real Chromium on the real stack: sign in by the
 * emailed link, open Enrollment from the header, upload a roster with three mistakes and see
 * them by row and column, upload the fixed file, read the preview, confirm by keyboard, watch
 * the cycle starts finish, and find the new pairs on the dashboard. Every page passes axe-core
 * (WCAG 2.2 AA rules) with no serious or critical violation, and fits a phone's width.
 * Screenshots go to test-artifacts/screenshots/enrollment/.
 */
import { createServer } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { academicYearOf } from '../../src/domain/academic-year.ts';
import { createMailTransport } from '../../src/mail/transport.ts';
import { ensureBootstrapCoordinator } from '../../src/staff/bootstrap.ts';
import { buildWebServer } from '../../src/web/server.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { eventually } from '../support/cycle.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../support/stack.ts';

const COORDINATOR = 'robin.coordinator@example.edu';
const shot = (page: Page, name: string) => screenshot(page, `enrollment/${name}`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** axe-core with the WCAG 2.x A/AA rule sets up to 2.2: the serious and critical violations, by rule. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page: page as never }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  // A run that checked nothing would pass anything.
  expect(result.passes.length).toBeGreaterThan(10);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** No sideways scroll at a phone's width. */
async function fitsPhone(page: Page): Promise<boolean> {
  await page.setViewportSize({ width: 360, height: 780 });
  const fits = (await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')) as boolean;
  await page.setViewportSize({ width: 1280, height: 900 });
  return fits;
}

async function checkPage(page: Page, name: string): Promise<void> {
  await shot(page, name);
  expect(await accessibilityViolations(page), name).toEqual([]);
  expect(await fitsPhone(page), `${name} fits a phone`).toBe(true);
}

describe('fall enrollment in a browser', () => {
  let stack: TestStack;
  let web: FastifyInstance;
  let origin: string;
  let browser: { browser: Browser; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let year: number;
  const header = 'Mentor Name,Mentor Email,Mentee Name,Mentee Preferred Name,Mentee Email,Mentee Time Zone,Program,Academic Year';
  const rows = (mistakes: boolean) =>
    [
      header,
      `Marie Curie,${mistakes ? 'marie.curie-at-example.edu' : 'marie.curie@example.edu'},Irène Joliot-Curie,Irène,irene@example.edu,Europe/Paris,PhD Chemistry,${year}`,
      `Alan Turing,alan.turing@example.edu,Joan Clarke,Joan,joan@example.edu,,${mistakes ? '' : 'PhD Mathematics'},${year}`,
      `Alan Turing,alan.turing@example.edu,Donald Michie,Donald,donald@example.edu,${mistakes ? 'Europe/Bletchley' : 'Europe/London'},PhD Mathematics,${year}`,
    ].join('\r\n') + '\r\n';

  beforeAll(async () => {
    stack = await startTestStack();
    year = academicYearOf(stack.policy, new Date());
    origin = `http://127.0.0.1:${await freePort()}`;
    const config = loadConfig({
      PUBLIC_URL: origin,
      TANDEM_SECRET: TEST_SECRET,
      SMTP_URL: stack.mail.smtpUrl,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      TANDEM_COORDINATOR_EMAIL: COORDINATOR,
      TANDEM_COORDINATOR_NAME: 'Robin Coordinator',
      LOG_LEVEL: 'silent',
    });
    const mailer = createMailTransport(stack.mail.smtpUrl);
    web = await buildWebServer({ db: stack.db, policy: stack.policy, config, mailer, temporal: async () => stack.client });
    web.addHook('onClose', async () => mailer.close());
    await ensureBootstrapCoordinator({ db: stack.db, policy: stack.policy, config });
    await web.listen({ host: '127.0.0.1', port: Number(new URL(origin).port) });
    browser = await launchBrowser();
    context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await stack?.close();
  });

  it('signs in by the emailed link and opens Enrollment from the header', async () => {
    await page.goto(`${origin}/login`);
    await page.getByLabel('Work email').fill(COORDINATOR);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await stack.mail.waitFor(() => stack.mail.to(COORDINATOR).length === 1);
    const text = stack.mail.to(COORDINATOR)[0]!.parsed.text ?? '';
    const link = text.match(new RegExp(`${origin.replace(/[.]/g, '\\.')}/login/[^\\s]+`))?.[0];
    expect(link, text).toBeDefined();
    await page.goto(link!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/dashboard`);
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Enrollment' }).click();
    await page.waitForURL(`${origin}/dashboard/enrollment`);
    expect(await page.locator('h1').textContent()).toBe('Enroll mentoring pairs');
    await checkPage(page, '01-enrollment');
  });

  it('lists the three mistakes of a roster by row and column, with the value as read', async () => {
    await page.getByLabel('Roster file').setInputFiles({ name: 'fall-roster.csv', mimeType: 'text/csv', buffer: Buffer.from(rows(true)) });
    await page.getByRole('button', { name: 'Check and preview' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('The roster was not imported');
    expect(await page.locator('#problems-summary').textContent()).toContain('3 problems found. Nothing was changed.');
    const problems = await page
      .locator('#problems tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)));
    expect(problems).toEqual([
      ['2', 'Mentor Email', 'marie.curie-at-example.edu'],
      ['3', 'Program', ''],
      ['4', 'Mentee Time Zone', 'Europe/Bletchley'],
    ]);
    expect(await stack.db.selectFrom('people').select('id').where('department_id', '=', stack.policy.department.id).execute()).toEqual([]);
    await checkPage(page, '02-problems');
  });

  it('previews the fixed file: how it was read, the first rows, new pairs by program', async () => {
    await page.getByLabel('Roster file').setInputFiles({ name: 'fall-roster.csv', mimeType: 'text/csv', buffer: Buffer.from(rows(false)) });
    await page.getByRole('button', { name: 'Check and preview' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Preview: nothing is imported yet');
    expect(await page.locator('#read-as').textContent()).toBe('Read fall-roster.csv as UTF-8, comma-separated: 3 rows of pairs.');
    expect(await page.locator('#first-rows tbody tr').first().textContent()).toContain('Irène Joliot-Curie');
    expect(await page.locator('#count-new-pairs').textContent()).toBe('3');
    expect(await page.locator('ul.new-pairs[data-program="PhD Mathematics"] li').count()).toBe(2);
    await checkPage(page, '03-preview');
  });

  it('confirms by keyboard and shows the starts until every cycle has started', async () => {
    await page.locator('#confirm-button').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/dashboard\/enrollment\/imports\/[0-9a-f-]+$/);
    const done = await eventually(
      async () => {
        await page.reload();
        return page.locator('#progress-count').textContent();
      },
      (count) => count === '3 of 3',
      60_000,
      'the three cycles to start',
    );
    expect(done).toBe('3 of 3');
    expect(await page.locator('#import-complete').textContent()).toContain('All 3 cycles have started.');
    await checkPage(page, '04-progress');
  });

  it('finds the new pairs on the dashboard, and the import in the list of past imports', async () => {
    await page.locator('#import-complete').getByRole('link', { name: 'dashboard' }).click();
    await page.waitForURL(`${origin}/dashboard`);
    const names = await eventually(
      async () => {
        await page.reload();
        return page.locator('#cycles .mentee-name').allTextContents();
      },
      (n) => n.length === 3,
      60_000,
      'the new pairs on the dashboard',
    );
    expect(names.sort()).toEqual(['Donald', 'Irène', 'Joan']);
    await page.goto(`${origin}/dashboard/enrollment`);
    expect(await page.locator('#past-imports tbody tr').first().textContent()).toContain('Robin Coordinator');
    expect(await page.locator('#past-imports tbody tr').first().textContent()).toContain('fall-roster.csv');
    await checkPage(page, '05-past-imports');
  });
});
