/**
 * The coordinator's dashboard in a real browser (headless Debian Chromium driven by
 * playwright-core) on the real stack: the bootstrap coordinator signs in by the link the SMTP
 * sink received, watches a compressed-policy cycle stall and come first, acts on it from the
 * page (nudge, resolve, pause, resume) and sees the workflow and the page move; filters, the
 * CSV download, keyboard use and escaping; then signs out and is refused.
 * Screenshots of each stage go to test-artifacts/screenshots/coordinator/.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleViewQuery } from '../../src/workflows/definitions.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { enrollTestPair, eventually, outboxKinds, type EnrolledCycle } from '../support/cycle.ts';
import { startListeningWeb } from '../support/listening-web.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';
import { seedCycle } from './dashboard-support.ts';

const COORDINATOR = 'casey.coordinator@example.edu';
const SCRIPT_NAME = '<script>window.__injected = 1</script>';
const shot = (page: Page, name: string) => screenshot(page, `coordinator/${name}`);
/** Runs an expression in the page (a string: this project compiles without the DOM types). */
const inPage = <T>(page: Page, expression: string) => page.evaluate(expression) as Promise<T>;
/** The focused element: its id (or class), whether it shows a focus ring and how. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return { id: el.id || el.className || el.tagName, focusVisible: el.matches(':focus-visible'), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
})()`;
type Focused = { id: string; focusVisible: boolean; outline: string; width: number };

describe('the coordinator dashboard in a browser', () => {
  let stack: TestStack;
  let web: FastifyInstance;
  let origin: string;
  let browser: { browser: Browser; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let live: EnrolledCycle;

  beforeAll(async () => {
    // A week passes every second: the expectations step stalls (due + 14 days) about 5 s in.
    stack = await startTestStack({ policy: testPolicy({ timeCompression: 604_800 }) });
    ({ web, origin } = await startListeningWeb(stack, { email: COORDINATOR, name: 'Casey Coordinator' }));
    browser = await launchBrowser();
    context = await browser.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await live?.handle.terminate('test over').catch(() => {});
    await browser?.close();
    await web?.close();
    await stack?.close();
  });

  const firstRow = () => page.locator('#cycles tbody tr').first();

  it('goes from the home page to sign-in, signs in from the emailed link and lands on the dashboard', async () => {
    // Enrolled first, so it is on its way to stalling while the coordinator signs in.
    live = await enrollTestPair(stack);

    // The home page explains participant links and leads staff to sign in.
    await page.goto(`${origin}/`);
    expect(await page.textContent('main')).toContain('You do not need an account');
    await shot(page, '00-home');
    await page.getByRole('link', { name: 'Sign in to the dashboard' }).click();
    await page.waitForURL(`${origin}/login`);
    await shot(page, '01-login');
    await page.getByLabel('Work email').fill(COORDINATOR);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect.poll(() => page.locator('#login-sent').textContent()).toContain(COORDINATOR);
    await shot(page, '02-check-your-email');

    await stack.mail.waitFor(() => stack.mail.to(COORDINATOR).length === 1);
    const text = stack.mail.to(COORDINATOR)[0]!.parsed.text ?? '';
    const link = text.match(new RegExp(`${origin.replace(/[.]/g, '\\.')}/login/[^\\s]+`))?.[0];
    expect(link, text).toBeDefined();
    await page.goto(link!);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in to Tandem');
    expect(await page.textContent('main')).toContain('Casey Coordinator');
    await shot(page, '03-confirm-link');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/dashboard`);
    expect(await page.locator('h1').textContent()).toBe('Mentoring cycles');
    expect(await page.locator('header').textContent()).toContain('Casey Coordinator');
    const cookie = (await context.cookies()).find((c) => c.name === 'tandem_staff');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await shot(page, '04-dashboard');
  });

  it('shows the compressed-policy cycle first once it stalls', async () => {
    // Bounded wait: reload the page until the stall reaches the projection and the list.
    await eventually(
      async () => {
        await page.reload();
        return { id: await firstRow().getAttribute('data-cycle-id'), status: await firstRow().getAttribute('data-status') };
      },
      (r) => r.id === live.cycleId && r.status === 'stalled',
      60_000,
      'the live cycle to be listed first as stalled',
    );
    expect(await firstRow().locator('td').nth(2).textContent()).toBe('Stalled');
    expect(await firstRow().locator('td').nth(3).textContent()).toBe('Expectations');
    expect(await page.locator('#summary').textContent()).toMatch(/1 cycle is stalled/);
    await shot(page, '05-stalled-first');
  });

  it('nudges and resolves the stalled step from its page; the workflow and the page move', async () => {
    await firstRow().locator('a.pair-link').click();
    await page.waitForURL(`${origin}/dashboard/cycles/${live.cycleId}`);
    expect(await page.locator('#cycle-status').textContent()).toContain('Stalled');
    await shot(page, '06-cycle-page');

    await page.getByRole('button', { name: 'Send a reminder' }).click();
    await page.waitForURL(/done=nudge/);
    expect(await page.getByRole('status').textContent()).toBe('Reminder sent to whoever owes the step.');
    expect((await outboxKinds(stack, live.cycleId)).filter((m) => m.kind === 'nudge').map((m) => m.to_address)).toEqual([live.mentorEmail]);
    expect(await page.locator('#timeline li[data-kind="nudged"]').count()).toBe(1);
    await shot(page, '07-nudged');

    // A second tab left open on the same step, as a colleague's would be.
    const stale = await context.newPage();
    await stale.goto(page.url());

    await page.getByRole('button', { name: 'Mark resolved' }).click();
    await page.waitForURL(/done=resolve/);
    const resolved = await live.handle.query(cycleViewQuery);
    expect(resolved.steps.find((s) => s.id === 'expectations')?.state).toBe('resolved');
    expect(await page.locator('#cycle-step').textContent()).not.toBe('Expectations');
    await shot(page, '08-resolved');

    // The stale tab's resolve is refused by the workflow, and the page says why.
    await stale.getByRole('button', { name: 'Mark resolved' }).click();
    await stale.waitForLoadState();
    expect(await stale.getByRole('alert').textContent()).toBe('Not done: The step "expectations" is already finished.');
    await screenshot(stale, 'coordinator/08b-stale-resolve-refused');
    await stale.close();
  });

  it('pauses with a reason and resumes from the keyboard', async () => {
    // Each action is a form named by its heading, so the two "Reason" fields are told apart.
    expect(await page.getByRole('form', { name: 'End the pair' }).getByLabel('Reason').count()).toBe(1);
    await page.getByRole('form', { name: 'Pause' }).getByLabel('Reason').selectOption('travel');
    await page.getByRole('button', { name: 'Pause the cycle' }).click();
    await page.waitForURL(/done=pause/);
    const paused = await live.handle.query(cycleViewQuery);
    expect(paused.status).toBe('paused');
    expect(paused.paused?.reason).toBe('travel');
    expect(await page.locator('#cycle-status').textContent()).toContain('Paused');
    await shot(page, '09-paused');

    // Tab from the top of the page until the resume button has focus, then press Enter.
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await inPage<Focused>(page, FOCUSED)).id === 'resume-button';
    }
    expect(reached, 'Tab reaches the resume button').toBe(true);
    expect(await inPage<Focused>(page, FOCUSED)).toEqual({ id: 'resume-button', focusVisible: true, outline: 'solid', width: 3 });
    await shot(page, '10-resume-focused');
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=resume/);
    expect((await live.handle.query(cycleViewQuery)).status).not.toBe('paused');
    const described = await live.handle.describe();
    expect(described.status.name).toBe('RUNNING');
    expect(await page.locator('#cycle-status').textContent()).not.toContain('Paused');
    // The timeline reads as words: the pause's reason, how long it lasted, no raw timestamps.
    const timelineText = await page.locator('#timeline').textContent();
    expect(timelineText).toMatch(/Cycle paused \(by: coordinator · reason: travel\)/);
    expect(timelineText).toMatch(/Cycle resumed \(by: coordinator · paused for: [^)]+\)/);
    expect(timelineText).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    await shot(page, '11-resumed');
  });

  it('filters by program and mentor, and downloads the CSV of what is shown', async () => {
    const ecology = await seedCycle(stack, { program: 'MSc Ecology', mentorName: '=HYPERLINK("http://evil.example")', menteeName: 'Eli Ecology' });
    await seedCycle(stack, { program: 'MSc Ecology', menteeName: 'Ezra Ecology' });
    await page.goto(`${origin}/dashboard`);
    expect(await page.locator('#cycles tbody tr').count()).toBe(3);

    await page.getByLabel('Program').selectOption('MSc Ecology');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/program=MSc\+Ecology/);
    expect(await page.locator('#cycles tbody tr td:nth-child(2)').allTextContents()).toEqual(['MSc Ecology', 'MSc Ecology']);
    await shot(page, '12-filter-program');

    await page.getByLabel("Mentor's email").fill(ecology.mentorEmail);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/mentor=/);
    expect(await page.locator('#cycles tbody tr').count()).toBe(1);
    expect(await page.locator('#cycles .mentor-name').textContent()).toBe('=HYPERLINK("http://evil.example")');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^mentor,mentor_email,mentee,/);
    expect(lines).toHaveLength(2);
    // The formula is neutralised: a leading apostrophe keeps spreadsheets from running it.
    expect(lines[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil\.example""\)",/);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    await page.getByRole('link', { name: 'Clear' }).click();
    await page.waitForURL(`${origin}/dashboard`);
    expect(await page.locator('#cycles tbody tr').count()).toBe(3);
  });

  it('reaches the filters and the pairs from the keyboard, with a visible focus ring', async () => {
    await page.goto(`${origin}/dashboard`);
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const focused = await inPage<Focused>(page, FOCUSED);
      expect(focused.focusVisible && focused.outline !== 'none' && focused.width >= 2, `focus ring on ${focused.id}: ${JSON.stringify(focused)}`).toBe(true);
      seen.push(focused.id);
      if (focused.id === 'pair-link') break;
    }
    expect(seen[0]).toBe('skip');
    expect(seen).toEqual(expect.arrayContaining(['logout', 'filter-program', 'filter-apply', 'export-csv', 'pair-link']));
    await shot(page, '13-keyboard-focus');

    // The skip link jumps past the header: the next Tab lands on the first filter.
    await page.goto(`${origin}/dashboard`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect((await inPage<Focused>(page, FOCUSED)).id).toBe('main');
    await page.keyboard.press('Tab');
    expect((await inPage<Focused>(page, FOCUSED)).id).toBe('filter-program');
  });

  it('shows a pair named <script> as text', async () => {
    const scripted = await seedCycle(stack, { mentorName: SCRIPT_NAME, menteeName: '"><img src=x onerror="window.__injected=2">' });
    await page.goto(`${origin}/dashboard?state=all`);
    const row = page.locator(`#cycle-${scripted.cycleId}`);
    expect(await row.locator('.mentor-name').textContent()).toBe(SCRIPT_NAME);
    expect(await row.locator('.mentee-name').textContent()).toBe('"><img src=x onerror="window.__injected=2">');
    await row.locator('a.pair-link').click();
    expect(await page.locator('#pair-title').textContent()).toContain(SCRIPT_NAME);
    expect(await page.title()).toContain(SCRIPT_NAME);
    expect(await inPage(page, `({ injected: window.__injected, scripts: document.querySelectorAll('body script, body img').length })`)).toEqual({ scripts: 0 });
    await shot(page, '14-script-name');
  });

  it('fits a narrow screen', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 375, height: 800 });
    for (const [path, name] of [
      ['/dashboard', '15-narrow-dashboard'],
      [`/dashboard/cycles/${live.cycleId}`, '16-narrow-cycle'],
    ] as const) {
      await phone.goto(`${origin}${path}`);
      const overflow = await inPage<number>(phone, 'document.documentElement.scrollWidth - document.documentElement.clientWidth');
      await screenshot(phone, `coordinator/${name}`);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await phone.close();
  });

  it('signs out, after which the dashboard refuses', async () => {
    await page.goto(`${origin}/dashboard`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${origin}/login?signed_out=1`);
    expect(await page.getByRole('status').textContent()).toBe('You are signed out.');
    await shot(page, '17-signed-out');
    expect((await context.cookies()).find((c) => c.name === 'tandem_staff')).toBeUndefined();
    await page.goto(`${origin}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    expect(await page.getByRole('status').textContent()).toBe('Sign in to see that page.');
    // The old cookie is gone from the browser, and the export (not a page) answers 401.
    const csv = await context.request.get(`${origin}/dashboard/export.csv`, { maxRedirects: 0 });
    expect(csv.status()).toBe(401);
    await shot(page, '18-dashboard-refused');
  });
});
