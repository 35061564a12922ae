/**
 * The real stack for people's own pages in a browser: a worker, Postgres, the SMTP sink and
 * the web app listening on a port whose PUBLIC_URL is that port (so a real browser's form
 * posts pass the same-origin guard), plus axe-core and phone-width checks for every page.
 */
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import type { Policy } from '../../src/domain/policy.ts';
import { enrollPair } from '../../src/enrollment/enroll-pair.ts';
import { createMailTransport } from '../../src/mail/transport.ts';
import { buildWebServer } from '../../src/web/server.ts';
import { CHROMIUM_PATH } from '../support/browser.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../support/stack.ts';

export interface PeopleWeb {
  readonly stack: TestStack;
  readonly web: FastifyInstance;
  readonly origin: string;
  readonly browser: Browser;
}

export function usePeopleWeb(policy: Policy): PeopleWeb {
  let state: { stack: TestStack; web: FastifyInstance; origin: string; browser: Browser } | undefined;
  beforeAll(async () => {
    const stack = await startTestStack({ policy });
    const config = (publicUrl: string) =>
      loadConfig({ PUBLIC_URL: publicUrl, TANDEM_SECRET: TEST_SECRET, SMTP_URL: stack.mail.smtpUrl, TEMPORAL_TASK_QUEUE: stack.taskQueue, LOG_LEVEL: 'silent' });
    const mailer = createMailTransport(stack.mail.smtpUrl);
    // Listen first, then build the app whose PUBLIC_URL is where it listens, as in production.
    const probe = await buildWebServer({ db: stack.db, policy, config: config('http://127.0.0.1'), mailer, temporal: async () => stack.client });
    await probe.listen({ host: '127.0.0.1', port: 0 });
    const port = (probe.server.address() as AddressInfo).port;
    await probe.close();
    const origin = `http://127.0.0.1:${port}`;
    const web = await buildWebServer({ db: stack.db, policy, config: config(origin), mailer, temporal: async () => stack.client });
    web.addHook('onClose', async () => mailer.close());
    await web.listen({ host: '127.0.0.1', port });
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu'] });
    state = { stack, web, origin, browser };
  });
  afterAll(async () => {
    await state?.browser.close();
    await state?.web.close();
    await state?.stack.close();
  });
  const get = () => {
    if (!state) throw new Error('the people stack is not started: use it inside a test');
    return state;
  };
  return {
    get stack() {
      return get().stack;
    },
    get web() {
      return get().web;
    },
    get origin() {
      return get().origin;
    },
    get browser() {
      return get().browser;
    },
  };
}

/** A page in a fresh browser context (axe-core needs one made with newContext). */
export async function newPage(browser: Browser, options: { width?: number } = {}): Promise<Page> {
  const context = await browser.newContext(options.width ? { viewport: { width: options.width, height: 780 } } : {});
  return context.newPage();
}

/** No serious or critical WCAG 2.2 AA violation on the page as it is now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `axe on ${what}`).toEqual([]);
}

/** At a phone's width the page scrolls only down, never sideways. */
export async function expectFitsPhone(browser: Browser, url: string): Promise<void> {
  const phone = await newPage(browser, { width: 360 });
  try {
    await phone.goto(url);
    expect(await phone.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), `sideways scroll on ${url}`).toBeLessThanOrEqual(0);
  } finally {
    await phone.context().close();
  }
}

/** The personal "My mentoring" link in the newest message to `email` that has one, as a path. */
export async function personalLinkFrom(stack: TestStack, email: string, options: { kind?: string } = {}): Promise<string> {
  const find = () =>
    stack.mail
      .to(email)
      .filter((m) => options.kind === undefined || m.parsed.headers.get('x-tandem-kind') === options.kind)
      .map((m) => /https?:\/\/[^\s/]+(\/me\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(m.parsed.text ?? '')?.[1])
      .filter((p): p is string => Boolean(p));
  await stack.mail.waitFor(() => find().length > 0, 60_000);
  return find().at(-1)!;
}

/** One mentor with several mentees, each pair's cycle started. */
export async function enrollMentorWithMentees(stack: TestStack, tag: string, mentees: number): Promise<{ mentorEmail: string; menteeEmails: string[]; cycles: { cycleId: string; workflowId: string; pairId: string }[] }> {
  const mentorEmail = `pi.${tag}@example.edu`;
  const menteeEmails: string[] = [];
  const cycles: { cycleId: string; workflowId: string; pairId: string }[] = [];
  for (let i = 1; i <= mentees; i++) {
    const menteeEmail = `student${i}.${tag}@example.edu`;
    const r = await enrollPair(
      { db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, policy: stack.policy },
      { mentor: { fullName: `Professor ${tag}`, email: mentorEmail, pronouns: 'she/her' }, mentee: { fullName: `Student ${i} ${tag}`, email: menteeEmail, pronouns: 'they/them' }, program: 'PhD Biology' },
    );
    menteeEmails.push(menteeEmail);
    cycles.push({ cycleId: r.cycleId, workflowId: r.workflowId, pairId: r.pairId });
  }
  return { mentorEmail, menteeEmails, cycles };
}

/** A local calendar date "YYYY-MM-DD" in `zone`, `days` from now. */
export function localDay(zone: string, days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
}

/** Signs a coordinator in through the emailed link (posting from the app's own origin); returns the session cookie's value. */
export async function coordinatorSession(env: PeopleWeb, email: string): Promise<string> {
  const before = env.stack.mail.to(email).length;
  const asked = await env.web.inject({ method: 'POST', url: '/login', headers: { origin: env.origin }, payload: { email } });
  expect(asked.statusCode).toBe(200);
  await env.stack.mail.waitFor(() => env.stack.mail.to(email).length > before);
  const link = /https?:\/\/[^\s/]+(\/login\/[^\s]+)/.exec(env.stack.mail.to(email).at(-1)!.parsed.text ?? '')![1]!;
  const spent = await env.web.inject({ method: 'POST', url: link.split('?')[0]!, headers: { origin: env.origin }, payload: {} });
  const header = ([] as string[]).concat(spent.headers['set-cookie'] ?? []).find((c) => c.startsWith('tandem_staff='));
  if (!header) throw new Error(`no session cookie (status ${spent.statusCode})`);
  return header.split(';')[0]!.slice('tandem_staff='.length);
}

/**
 * Keyboard alone reaches every control in the page's main area: Tab from the top until focus
 * comes back round, and every link, button and field (one radio per group: arrows move
 * within a group) must have had focus.
 */
export async function expectKeyboardReachable(page: Page, what: string): Promise<void> {
  const wanted: string[] = await page.evaluate(`(() => {
    const seen = new Set();
    const out = [];
    let n = 0;
    for (const el of document.querySelectorAll('main a[href], main button, main input:not([type=hidden]), main select, main textarea, .skip')) {
      el.dataset.kbd = String(n++);
      if (el.type === 'radio') { if (seen.has(el.name)) continue; seen.add(el.name); }
      out.push(el.type === 'radio' ? 'radio:' + el.name : el.dataset.kbd);
    }
    return out;
  })()`);
  const reached = new Set<string>();
  await page.locator('body').focus();
  for (let i = 0; i < wanted.length + 40 && reached.size < wanted.length; i++) {
    await page.keyboard.press('Tab');
    const key = await page.evaluate(`(() => { const el = document.activeElement; if (!el || !el.dataset || el.dataset.kbd === undefined) return null; return el.type === 'radio' ? 'radio:' + el.name : el.dataset.kbd; })()`);
    if (typeof key === 'string') reached.add(key);
  }
  expect(wanted.filter((w) => !reached.has(w)), `controls not reachable by Tab on ${what}`).toEqual([]);
}
