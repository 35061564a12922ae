/**
 * The staff and people pages in a real browser (Debian Chromium, playwright-core) on the
 * real stack: the coordinator adds an evaluation-committee member, who signs in from the
 * emailed link and sees only the evaluation area; the coordinator finds a mentor, corrects
 * their email, and the next message of the pair's cycle goes to the new address while the
 * old one is told; a mentee changes lab from the pair's page. Every page passes axe-core
 * (WCAG 2.2 AA, no serious or critical violation), fits a 360 px phone, and is used here
 * by keyboard where it matters. Screenshots go to test-artifacts/screenshots/staff/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { enrollTestPair, eventually, outboxKinds, type EnrolledCycle } from '../support/cycle.ts';
import { scrollsSideways, seriousAxeViolations, tabReaches } from '../support/page-checks.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeStaff } from './dashboard-support.ts';
import { pickOrigin, startListeningWeb, type ListeningWeb } from './support/listening-web.ts';

const shot = (page: Page, name: string) => screenshot(page, `staff/${name}`);

describe('staff and people pages in a browser', () => {
  let stack: TestStack;
  let app: ListeningWeb;
  let browser: { browser: Browser; close(): Promise<void> };
  let coordinator: { id: string; email: string };
  let context: BrowserContext;
  let page: Page;
  const cycles: EnrolledCycle[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    app = await startListeningWeb(stack, await pickOrigin());
    coordinator = await makeStaff(stack, ['coordinator'], 'Casey Coordinator');
    browser = await launchBrowser();
    context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    for (const c of cycles) await c.handle.terminate('test over').catch(() => {});
    await browser?.close();
    await app?.close();
    await stack?.close();
  });

  /** The page passes axe and fits a phone; the viewport is put back afterwards. */
  async function checkPage(p: Page, name: string): Promise<void> {
    expect(await seriousAxeViolations(p), `${name}: axe`).toEqual([]);
    const size = p.viewportSize();
    await p.setViewportSize({ width: 360, height: 740 });
    expect(await scrollsSideways(p), `${name}: fits a phone`).toBe(false);
    await shot(p, `${name}-phone`);
    if (size) await p.setViewportSize(size);
  }

  /** Opens the newest emailed link for this address and confirms it. */
  async function signInFromMail(p: Page, email: string, count: number): Promise<void> {
    await stack.mail.waitFor(() => stack.mail.to(email).length >= count);
    const text = stack.mail.to(email).at(-1)!.parsed.text ?? '';
    const link = text.match(new RegExp(`${app.origin.replace(/[.]/g, '\\.')}/login/[^\\s]+`))?.[0];
    expect(link, text).toBeDefined();
    await p.goto(link!);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL((url) => !url.pathname.startsWith('/login'));
  }

  it('signs the coordinator in and shows the staff page', async () => {
    await page.goto(`${app.origin}/login`);
    await page.getByLabel('Work email').fill(coordinator.email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.locator('#login-sent').waitFor();
    await signInFromMail(page, coordinator.email, 1);
    await page.getByRole('link', { name: 'Staff' }).click();
    await page.waitForURL(`${app.origin}/dashboard/staff`);
    expect(await page.locator('h1').textContent()).toBe('Staff');
    expect(await page.locator('#staff-list').textContent()).toContain('Casey Coordinator');
    await checkPage(page, '01-staff');
    // Every form is reachable by keyboard, with a visible focus ring (a radio group is one stop: its checked choice).
    for (const id of ['add-name', 'add-role-evaluation', 'add-staff', 'notices-immediate', 'save-notices']) {
      expect(await tabReaches(page, id), id).toEqual({ reached: true, focusVisible: true });
    }
  });

  it('adds an evaluation-committee member, who signs in and sees only the evaluation area', async () => {
    const email = `erin.${Date.now().toString(36)}@example.edu`;
    // A mistyped address first: refused, with what was typed kept.
    await page.getByLabel('Name', { exact: true }).fill('Erin Evaluator');
    await page.getByLabel('Work email').fill('erin.example.edu');
    await page
      .getByLabel(/Evaluation committee/)
      .first()
      .check();
    // The browser's own email check would stop the form; the server's answer is what is tested.
    await page.evaluate("document.getElementById('add-staff-form').noValidate = true");
    await page.getByRole('button', { name: 'Add and email a sign-in link' }).click();
    await page.locator('#add-error').waitFor();
    expect(await page.locator('#add-error').textContent()).toContain('Email: must be an email address');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Erin Evaluator');
    await checkPage(page, '02-add-refused');

    // Fixed, and sent from the keyboard.
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Work email').press('Enter');
    await page.waitForURL(/done=added/);
    expect(await page.getByRole('status').textContent()).toContain('emailed how to sign in');
    expect(await page.locator('#staff-list').textContent()).toContain(email);
    await shot(page, '03-added');

    const theirs = await browser.browser.newContext({ viewport: { width: 360, height: 740 } });
    const their = await theirs.newPage();
    await signInFromMail(their, email, 1);
    expect(new URL(their.url()).pathname).toBe('/evaluation');
    const nav = await their.getByRole('navigation', { name: 'Account' }).getByRole('link').allTextContents();
    expect(nav).toEqual(['Evaluation packets']);
    const dashboard = await their.goto(`${app.origin}/dashboard/staff`);
    expect(dashboard!.status()).toBe(403);
    expect(await their.locator('#role-missing').textContent()).toContain('coordinator role');
    await shot(their, '04-evaluator-refused-staff');
    await theirs.close();

    // Their last sign-in now shows on the coordinator's list.
    await page.goto(`${app.origin}/dashboard/staff`);
    const card = page.locator('#staff-list li', { hasText: email });
    expect(await card.textContent()).not.toContain('Last signed in: never');
  });

  it('refuses to remove the last coordinator, saying why', async () => {
    const mine = page.locator('#staff-list li', { hasText: coordinator.email });
    await mine.getByRole('button', { name: /^Remove / }).click();
    await page.locator('[id^=staff-error-]').waitFor();
    expect(await page.locator('[id^=staff-error-]').textContent()).toContain('last coordinator');
    expect(await page.locator('#staff-list').textContent()).toContain(coordinator.email);
  });

  it('corrects a mentor’s email from their page; the next message goes to the new address', async () => {
    const cycle = await enrollTestPair(stack);
    cycles.push(cycle);
    const newEmail = `new.${cycle.mentorEmail}`;
    // Found from the dashboard's search box by part of the name.
    await page.goto(`${app.origin}/dashboard`);
    await page.getByRole('search', { name: 'Find a person' }).getByLabel('Name or email').fill(cycle.mentorEmail.split('@')[0]!.replace('mentor.', ''));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/dashboard\/people\?q=/);
    await checkPage(page, '05-people-search');
    await page.locator('#people-results a', { hasText: 'Mentor' }).click();
    await page.waitForURL(`${app.origin}/dashboard/people/${cycle.mentorId}`);
    expect(await page.locator('#person-pairs').textContent()).toContain('Mentor of');
    await checkPage(page, '06-person');
    expect(await tabReaches(page, 'person-save')).toEqual({ reached: true, focusVisible: true });

    // An address another person has: refused, nothing changed.
    await page.getByLabel(/^Email/).fill(cycle.menteeEmail);
    await page.getByRole('button', { name: 'Save corrections' }).click();
    await page.locator('#person-error').waitFor();
    expect(await page.locator('#person-email-error').textContent()).toContain('already belongs to another person');
    expect((await stack.db.selectFrom('people').select('email').where('id', '=', cycle.mentorId).executeTakeFirstOrThrow()).email).toBe(cycle.mentorEmail);
    await checkPage(page, '07-person-refused');

    await page.getByLabel(/^Email/).fill(newEmail.toUpperCase());
    await page.getByLabel(/^Pronouns/).fill('she/they');
    await page.getByRole('button', { name: 'Save corrections' }).click();
    await page.waitForURL(/done=email-saved/);
    expect(await page.textContent('main')).toContain(newEmail);
    // The old address is told, once.
    await stack.mail.waitFor(() => stack.mail.to(cycle.mentorEmail).some((m) => m.parsed.subject === 'Your address for mentoring messages has changed'));
    // The cycle heard of it (ids only in its history).
    await eventually(
      async () => (await stack.db.selectFrom('cycle_events').select('kind').where('cycle_id', '=', cycle.cycleId).execute()).map((e) => e.kind),
      (kinds) => kinds.includes('profile-changed'),
      30_000,
      'the profile-changed event',
    );

    // The next message of the cycle — a reminder sent from the pair's page — goes to the new address.
    await page.locator('#person-pairs a', { hasText: "The pair's page" }).click();
    await page.getByRole('button', { name: 'Send a reminder' }).click();
    await page.waitForURL(/done=nudge/);
    const nudges = (await outboxKinds(stack, cycle.cycleId)).filter((m) => m.kind === 'nudge');
    expect(nudges.map((m) => m.to_address)).toEqual([newEmail]);
    await stack.mail.waitFor(() => stack.mail.to(newEmail).length === 1);
    expect(
      stack.mail
        .to(cycle.mentorEmail)
        .filter((m) => m.parsed.subject !== 'Your address for mentoring messages has changed')
        .every((m) => !/remind/i.test(m.parsed.subject ?? '')),
    ).toBe(true);
    const audit = await stack.db.selectFrom('audit_log').select(['action', 'reason']).where('subject_id', '=', cycle.mentorId).execute();
    expect(audit).toEqual([{ action: 'correct-person', reason: 'corrected: pronouns, email' }]);
  });

  it("changes a mentee's lab from the pair's page: the old pair ends, the new one starts", async () => {
    const cycle = await enrollTestPair(stack);
    cycles.push(cycle);
    await page.goto(`${app.origin}/dashboard/cycles/${cycle.cycleId}`);
    const form = page.getByRole('form', { name: 'The mentee changes lab' });
    // The current mentor again: refused before anything ends.
    await form.getByLabel("New mentor's full name").fill('Same Mentor');
    await form.getByLabel("New mentor's email").fill(cycle.mentorEmail);
    await form.getByLabel(/I understand the current pair ends/).check();
    await form.getByRole('button', { name: 'End this pair and enroll the new one' }).click();
    await page.locator('#lab-change-error').waitFor();
    expect(await page.locator('#lab-change-error').textContent()).toContain('is the current mentor');
    expect((await cycle.handle.describe()).status.name).toBe('RUNNING');
    await checkPage(page, '08-lab-change-refused');
    expect(await tabReaches(page, 'lab-change-button', 120)).toEqual({ reached: true, focusVisible: true });

    const newMentor = `newlab.${cycle.mentorEmail}`;
    await form.getByLabel("New mentor's full name").fill('Nadia Newlab');
    await form.getByLabel("New mentor's email").fill(newMentor);
    await form.getByLabel(/I understand the current pair ends/).check();
    await form.getByRole('button', { name: 'End this pair and enroll the new one' }).click();
    await page.waitForURL(/done=lab-change/);
    expect(await page.locator('#pair-title').textContent()).toContain('Nadia Newlab');
    const oldPair = await stack.db.selectFrom('pairs').select(['status', 'ended_reason']).where('id', '=', cycle.pairId).executeTakeFirstOrThrow();
    expect(oldPair).toEqual({ status: 'ended', ended_reason: 'lab-change' });
    const newCycleId = new URL(page.url()).pathname.split('/').at(-1)!;
    const newCycle = await stack.db
      .selectFrom('cycles')
      .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
      .select(['cycles.workflow_id', 'pairs.mentee_id'])
      .where('cycles.id', '=', newCycleId)
      .executeTakeFirstOrThrow();
    expect(newCycle.mentee_id).toBe(cycle.menteeId);
    const handle = stack.client.workflow.getHandle(newCycle.workflow_id);
    cycles.push({ ...cycle, handle: handle as EnrolledCycle['handle'] });
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await shot(page, '09-lab-changed');
  });
});
