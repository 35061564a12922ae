/**
 * The coordinator's reports in a real browser (headless Debian Chromium via playwright-core)
 * over a compressed two-year cohort driven through real workflows on the Temporal dev server:
 * five pairs play year one by scripts (check-ins held, missed and rescheduled, ignored; goals
 * reviewed or only updated; feedback from both, one or neither; a leave; a stall the
 * coordinator resolves and one that goes on to a referral), then one pair ends in year two.
 * The year report shows exactly those counts and the trend chart; exports for outside the
 * department hide small cells; the IDP statement for an uploaded trainee list matches the
 * reviews; every page passes axe-core, works from the keyboard and fits a phone.
 * Screenshots go to test-artifacts/screenshots/reports/.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/domain/policy.ts';
import { endPairUpdate } from '../../src/workflows/definitions.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { eventually } from '../support/cycle.ts';
import { startListeningWeb } from '../support/listening-web.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';
import { overflowX, seriousViolations } from './support/page-checks.ts';
import { enrollScripted, playYear, type PairScript, type ScriptedPair } from './support/scripted-pair.ts';

const COORDINATOR = 'reports.coordinator@example.edu';
const shot = (page: Page, name: string) => screenshot(page, `reports/${name}`);

/** A week a second; expectations get six weeks (the scripts answer in well under one), and the goals re-visit never stalls. */
function compressedPolicy() {
  const base = testPolicy({ timeCompression: 604_800 });
  return parsePolicy({
    ...base,
    stages: { ...base.stages, expectations: { opensAtDay: 0, dueAtDay: 42 } },
    ladderByStep: { 'training-goals': [{ rung: 'remind-owner', afterDays: 3 }] },
  });
}

const SCRIPTS: PairScript[] = [
  {
    name: 'Ana',
    program: 'PhD Biology',
    expectations: 'set',
    checkIns: ['held', 'held', 'held', 'held'],
    goals: 'reviewed',
    feedbackBy: ['mentor', 'mentee'],
    awaySeconds: 1,
  },
  { name: 'Ben', program: 'PhD Biology', expectations: 'set', checkIns: ['held', 'held', 'held', 'held'], goals: 'reviewed', feedbackBy: ['mentor', 'mentee'] },
  { name: 'Cy', program: 'PhD Biology', expectations: 'set', checkIns: ['held', 'held', 'held', 'held'], goals: 'reviewed', feedbackBy: ['mentor', 'mentee'] },
  {
    name: 'Dee',
    program: 'PhD Biology',
    expectations: 'set',
    checkIns: ['held', 'held', 'missed-then-rescheduled', 'missed-then-rescheduled'],
    goals: 'updated',
    feedbackBy: ['mentee'],
  },
  // Nobody shares expectations: they stall and the coordinator resolves them. Check-in 1 is
  // never booked: it stalls, goes on to a referral and lapses. The rest they do.
  { name: 'Eli', program: 'PhD Neuroscience', expectations: 'ignored', checkIns: ['ignored', 'held', 'held', 'held'], goals: 'reviewed', feedbackBy: [] },
];

/** Every count cell of the report page, by its measure. */
const CELLS = `Object.fromEntries([...document.querySelectorAll('td[data-measure]')].map((td) => [td.dataset.measure, td.textContent.trim()]))`;
const FOCUSED = `(() => { const el = document.activeElement; return { id: el.id, focusVisible: el.matches(':focus-visible'), outline: getComputedStyle(el).outlineStyle }; })()`;

describe('the year report, the IDP statement and the policy page in a browser', () => {
  let stack: TestStack;
  let web: FastifyInstance;
  let origin: string;
  let browser: { browser: Browser; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let pairs: ScriptedPair[] = [];
  let year: number;
  const tag = randomUUID().slice(0, 6);

  beforeAll(async () => {
    stack = await startTestStack({ policy: compressedPolicy() });
    ({ web, origin } = await startListeningWeb(stack, { email: COORDINATOR }));
    browser = await launchBrowser();
    context = await browser.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    for (const p of pairs)
      await stack.client.workflow
        .getHandle(p.workflowId)
        .terminate('test over')
        .catch(() => undefined);
    await browser?.close();
    await web?.close();
    await stack?.close();
  });

  it('plays a compressed cohort through year one and into year two, where one pair ends early', { timeout: 400_000 }, async () => {
    pairs = [];
    for (const script of SCRIPTS) pairs.push(await enrollScripted(stack, script, tag));
    year = pairs[0]!.academicYear;
    await Promise.all(pairs.map((p) => playYear(stack, p)));
    // Year one is over for everyone once each cycle's timeline says so (the projection trails the workflow).
    await eventually(
      () =>
        stack.db
          .selectFrom('cycle_events')
          .select('cycle_id')
          .where(
            'cycle_id',
            'in',
            pairs.map((p) => p.cycleId),
          )
          .where('kind', '=', 'year-ended')
          .execute(),
      (rows) => rows.length === pairs.length,
      120_000,
      'year one to end for every pair',
    );
    const dee = pairs.find((p) => p.script.name === 'Dee')!;
    await eventually(
      () =>
        stack.db
          .selectFrom('cycles')
          .select('id')
          .where('pair_id', '=', dee.pairId)
          .where('academic_year', '=', year + 1)
          .executeTakeFirst(),
      (r) => r !== undefined,
      60_000,
      "Dee's year two",
    );
    await stack.client.workflow
      .getHandle(dee.workflowId)
      .executeUpdate(endPairUpdate, { args: [{ actor: { role: 'coordinator', coordinatorId: 'report-test' }, reason: 'lab-change' }] });
    await eventually(
      () => stack.db.selectFrom('pairs').select('status').where('id', '=', dee.pairId).executeTakeFirstOrThrow(),
      (r) => r.status === 'ended',
      60_000,
      'the pair to end',
    );
    await eventually(
      () =>
        stack.db
          .selectFrom('cycles')
          .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
          .select('cycles.id')
          .where(
            'pairs.id',
            'in',
            pairs.map((p) => p.pairId),
          )
          .where('academic_year', '=', year + 1)
          .execute(),
      (r) => r.length === pairs.length,
      60_000,
      'every year-two cycle',
    );
  });

  it('signs the coordinator in and shows year one with the counts the scripts arranged', async () => {
    await page.goto(`${origin}/login`);
    await page.getByLabel('Work email').fill(COORDINATOR);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    // The coordinator also gets the cohort's notices (stalls, evaluation input): find the sign-in link among them.
    const SIGN_IN_LINK = /http:\/\/127\.0\.0\.1:\d+\/login\/[^\s]+/;
    await stack.mail.waitFor(() => stack.mail.to(COORDINATOR).some((m) => SIGN_IN_LINK.test(m.parsed.text ?? '')));
    const link = stack.mail
      .to(COORDINATOR)
      .map((m) => (m.parsed.text ?? '').match(SIGN_IN_LINK)?.[0])
      .find(Boolean);
    await page.goto(link!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/dashboard`);

    await page.getByRole('link', { name: 'Year report' }).click();
    await page.waitForURL(`${origin}/dashboard/reports`);
    // The newest year with cycles comes first: year two. Choose year one from the keyboard.
    expect(await page.locator('h1').textContent()).toContain(`${year + 1}–`);
    await page.selectOption('#report-year', String(year));
    await page.focus('#report-program');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(FOCUSED)).toMatchObject({ id: 'report-show', focusVisible: true, outline: 'solid' });
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/dashboard/reports\\?year=${year}`));
    await shot(page, '01-year-one');

    const cells = (await page.evaluate(CELLS)) as Record<string, string>;
    expect(cells).toMatchObject({
      'Pairs enrolled': '5',
      'Joined after the year began': '5',
      'Set on time (before any reminder past the due date)': '4',
      'Set late (after the escalation ladder started)': '0',
      'Not set': '1',
      'Planned (windows opened while the pair was enrolled)': '20',
      Held: '17',
      'Rescheduled after a missed meeting': '2',
      'Not held': '1',
      'Reported missed ("we didn\'t meet")': '2',
      'Updated and reviewed by the mentor': '4',
      'Updated, not reviewed': '1',
      'Not updated': '0',
      'Given by both': '3',
      'Given by one': '1',
      'Given by neither': '1',
      'Pairs with a stalled step': '1',
      'Expectations: stalled': '1',
      'Expectations: resolved by the coordinator': '1',
      'Expectations: referred to a resource': '0',
      'Check-in 1: stalled': '1',
      'Check-in 1: referred to a resource': '1',
      'Check-in 1: resolved by the coordinator': '0',
      'Pairs with time away': '1',
      Pauses: '1',
      'Pauses for leave': '1',
    });
    // Only the two steps that stalled have stall lines; no pair ended early in year one.
    expect(Object.keys(cells).filter((m) => m.endsWith(': stalled'))).toEqual(['Expectations: stalled', 'Check-in 1: stalled']);
    expect(await page.locator('table[data-section="Pairs ended early"]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('narrows to a program, and shows year two with its early end and the five-year trend chart', async () => {
    await page.goto(`${origin}/dashboard/reports?year=${year}&program=${encodeURIComponent('PhD Neuroscience')}`);
    expect(((await page.evaluate(CELLS)) as Record<string, string>)['Pairs enrolled']).toBe('1');

    await page.goto(`${origin}/dashboard/reports?year=${year + 1}`);
    const cells = (await page.evaluate(CELLS)) as Record<string, string>;
    expect(cells).toMatchObject({ 'Pairs enrolled': '5', 'Joined after the year began': '0', 'Lab change': '1' });
    const bar = (y: number, series: string) => page.locator(`#trend-chart rect[data-year="${y}"][data-series="${series}"]`).getAttribute('data-value');
    expect(await page.locator('#trend-chart rect[data-series="pairs"]').count()).toBe(5);
    expect(await bar(year, 'pairs')).toBe('5');
    expect(await bar(year, 'goals')).toBe('4');
    expect(await bar(year, 'stalled')).toBe('1');
    expect(await bar(year + 1, 'pairs')).toBe('5');
    expect(await bar(year - 1, 'pairs')).toBe('0');
    // The chart's text alternative is the table that follows it.
    expect(await page.locator('#trend-chart').getAttribute('aria-describedby')).toBe('trend-table');
    expect(await page.locator(`#trend-table tr[data-year="${year}"] td[data-series="goals"]`).textContent()).toBe('4');
    expect(await page.locator(`#trend-table tr[data-year="${year}"]`).textContent()).toContain('17 of 20');
    await shot(page, '02-year-two-trend');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('exports CSV and a printable page; the copies for outside the department hide cells from fewer than 3 pairs', async () => {
    const csv = async (share?: string) => {
      const response = await context.request.get(`${origin}/dashboard/reports.csv?year=${year}${share ? `&share=${share}` : ''}`);
      expect(response.headers()['content-type']).toContain('text/csv');
      return response.text();
    };
    const inside = await csv();
    expect(inside).toContain(`${year},All programs,Training goals,"Updated, not reviewed",1\r\n`);
    expect(inside).toContain(`${year},All programs,Check-ins,Held,17\r\n`);
    expect(inside).toContain(`${year},All programs,Trend,Pairs enrolled,5\r\n`);
    expect(inside).toContain(`${year - 1},All programs,Trend,Pairs enrolled,0\r\n`);
    const outside = await csv('outside');
    expect(outside).toContain(`${year},All programs,Training goals,"Updated, not reviewed",fewer than 3\r\n`);
    expect(outside).toContain(`${year},All programs,Stalls,Check-in 1: referred to a resource,fewer than 3\r\n`);
    expect(outside).toContain(`${year},All programs,Check-ins,Held,17\r\n`);
    expect(outside).toContain(`${year},All programs,Pairs,Pairs enrolled,5\r\n`);
    // Held check-ins come from 5 pairs; the 2 reported missed from one.
    expect(outside).toContain(`${year},All programs,Check-ins,"Reported missed (""we didn't meet"")",fewer than 3\r\n`);

    await page.goto(`${origin}/dashboard/reports?year=${year}`);
    await page.click('#print-outside');
    await page.waitForURL(/print=1/);
    const printed = (await page.evaluate(CELLS)) as Record<string, string>;
    expect(printed).toMatchObject({ 'Pairs enrolled': '5', 'Updated, not reviewed': 'fewer than 3', 'Not set': 'fewer than 3', Held: '17' });
    expect(await page.locator('#logout').count()).toBe(0);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#report-form').count()).toBe(0);
    await shot(page, '03-printable-outside');
    await page.emulateMedia({ media: 'screen' });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('says so for a year without cycles, and refuses a year that is not one', async () => {
    await page.goto(`${origin}/dashboard/reports?year=2001`);
    expect(await page.locator('#no-cycles').textContent()).toContain('There are no cycles in 2001–02');
    expect(await page.locator('td[data-measure]').count()).toBe(0);
    expect(await page.locator('#trend-chart').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    const bad = await page.goto(`${origin}/dashboard/reports?year=twenty`);
    expect(bad!.status()).toBe(400);
    expect(await page.locator('#report-error').textContent()).toContain('year: “twenty” is not an academic year');
  });

  it('gives the IDP statement for an uploaded trainee list: bad lines first, by number, then the arranged reviews with their dates', async () => {
    const mentee = (name: string) => pairs.find((p) => p.script.name === name)!;
    await page.goto(`${origin}/dashboard/reports/idp`);
    expect(await seriousViolations(page)).toEqual([]);
    const upload = (lines: string[]) => page.setInputFiles('#idp-file', { name: 'trainees.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await upload(['email', mentee('Ana').menteeEmail, 'not an email', mentee('Ben').menteeEmail, `nobody.${tag}@example.edu`, mentee('Ana').mentorEmail]);
    await page.click('#idp-show');
    await page.waitForSelector('#idp-problems');
    expect(await page.locator('#idp-problems li').allTextContents()).toEqual([
      'Line 3: “not an email” is not an email address.',
      `Line 5: “nobody.${tag}@example.edu” is nobody in Tandem.`,
      `Line 6: “${mentee('Ana').mentorEmail}” is not the mentee of any pair.`,
    ]);
    expect(await page.locator('#idp-statement').count()).toBe(0);
    // What was uploaded is kept in the box to fix.
    expect(await page.locator('#idp-emails').inputValue()).toContain('not an email');
    await shot(page, '04-idp-bad-lines');
    expect(await seriousViolations(page)).toEqual([]);

    await upload(['Ana', 'Ben', 'Dee', 'Eli'].map((n) => mentee(n).menteeEmail));
    await page.click('#idp-show');
    await page.waitForSelector('#idp-statement');
    expect(await page.locator('#idp-summary').textContent()).toContain('Of 4 trainees, 3 (75%) updated their individual development plan');
    const reviewed = await page
      .locator('#idp-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-email'), r.getAttribute('data-reviewed')]));
    expect(Object.fromEntries(reviewed)).toEqual({
      [mentee('Ana').menteeEmail]: 'yes',
      [mentee('Ben').menteeEmail]: 'yes',
      [mentee('Dee').menteeEmail]: 'no',
      [mentee('Eli').menteeEmail]: 'yes',
    });
    await shot(page, '05-idp-statement');
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#idp-csv')]);
    const rows = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
    const day = (d: Date) =>
      new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: stack.policy.defaultTimeZone }).format(d);
    for (const name of ['Ana', 'Ben', 'Eli']) {
      const review = await stack.db
        .selectFrom('cycle_events')
        .select('occurred_at')
        .where('cycle_id', '=', mentee(name).cycleId)
        .where('step', '=', 'training-goals')
        .where('kind', '=', 'step-completed')
        .executeTakeFirstOrThrow();
      expect(rows.find((r) => r.startsWith(mentee(name).menteeEmail))).toContain(`,${day(review.occurred_at)},`);
    }
    expect(rows.find((r) => r.startsWith(mentee('Dee').menteeEmail))).toMatch(/,\d{4}-\d{2}-\d{2},,/);
    expect(rows.at(-1)).toMatch(/^total,3 of 4 updated and reviewed,/);

    // Or a program's trainees, chosen from the list.
    await page.fill('#idp-emails', '');
    await page.selectOption('#idp-program', 'PhD Neuroscience');
    await page.click('#idp-show');
    await page.waitForSelector('#idp-statement');
    expect(await page.locator('#idp-summary').textContent()).toContain('Of 1 trainee, 1 (100%)');
    expect(await page.locator('#idp-table tbody tr').getAttribute('data-email')).toBe(mentee('Eli').menteeEmail);
  });

  it('shows the policy in effect, and every report page fits a phone', async () => {
    await page.goto(`${origin}/dashboard/policy`);
    expect(await page.locator('#anonymity-threshold').textContent()).toContain('3');
    expect(await page.locator('#policy-calendar tr[data-step="check-in-4"]').count()).toBe(1);
    expect(await page.locator('[data-ladder="training-goals"] li').allTextContents()).toEqual(['3 days past due: reminder to whoever owes the step']);
    expect(await page.locator('#ladder-training-goals').textContent()).toContain('its own ladder');
    expect(await page.locator('#policy-resources tr[data-resource="grad-office"]').textContent()).toContain('receives referrals');
    expect(await page.textContent('main')).toContain('compressed policy');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, '06-policy');

    const phone = await browser.browser.newContext({ viewport: { width: 360, height: 740 }, storageState: await context.storageState() });
    const small = await phone.newPage();
    for (const url of [
      '/dashboard/policy',
      `/dashboard/reports?year=${year}`,
      '/dashboard/reports/idp',
      `/dashboard/reports?year=${year}&print=1&share=outside`,
    ]) {
      await small.goto(`${origin}${url}`);
      expect(await overflowX(small), url).toBeLessThanOrEqual(0);
    }
    await screenshot(small, 'reports/07-phone-report');
    await phone.close();
  });
});
