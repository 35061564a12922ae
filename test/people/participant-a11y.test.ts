/**
 * Every participant page in a real browser: the action pages (each action, on a live cycle),
 * their error and "already used" states, the link problem pages and "My mentoring" pass
 * axe-core's WCAG 2.2 AA rules with no serious or critical violation, fit a 360-pixel-wide
 * phone without sideways scrolling, and have every control reachable with the Tab key.
 */
import { describe, expect, it } from 'vitest';
import { issueActionToken, type Action } from '../../src/security/action-tokens.ts';
import { enrollTestPair } from '../support/cycle.ts';
import { TEST_SECRET } from '../support/stack.ts';
import { EXPECTATIONS, linkFromMail, postForm, shortYearPolicy } from '../web/support/participant-web.ts';
import { expectAccessible, expectFitsPhone, expectKeyboardReachable, newPage, personalLinkFrom, usePeopleWeb } from './support.ts';

describe('participant pages: accessibility', () => {
  const env = usePeopleWeb(shortYearPolicy());

  async function check(path: string, what: string): Promise<void> {
    const page = await newPage(env.browser);
    try {
      const response = await page.goto(`${env.origin}${path}`);
      expect(response?.headers()['content-type'], what).toContain('text/html');
      await expectAccessible(page, what);
      await expectKeyboardReachable(page, what);
    } finally {
      await page.context().close();
    }
    await expectFitsPhone(env.browser, `${env.origin}${path}`);
  }

  it('every action page, its states, the link problem pages and My mentoring', async () => {
    const c = await enrollTestPair(env.stack);
    const same = { origin: env.origin, 'sec-fetch-site': 'same-origin' };
    const link = (sub: string, act: Action, stp?: string) => `/a/${issueActionToken(TEST_SECRET, { sub, cyc: c.cycleId, act, ...(stp ? { stp } : {}) }, { ttlSeconds: 3600 })}`;

    const share = await linkFromMail(env.stack, c.mentorEmail, 'share-expectations');
    await check(share, 'share expectations');
    // The refused form with its error summary.
    const errorPage = await newPage(env.browser);
    await errorPage.goto(`${env.origin}${share}`);
    await errorPage.getByRole('button', { name: /^Share with/ }).click();
    await errorPage.waitForLoadState();
    expect(await errorPage.getByRole('alert').first().textContent()).toContain('There are');
    await expectAccessible(errorPage, 'share expectations with errors');
    await errorPage.context().close();

    expect((await postForm(env.web, share, { ...EXPECTATIONS, meeting_cadence_days: '7' }, same)).statusCode).toBe(200);
    await check(share, 'a used link');
    await check(await linkFromMail(env.stack, c.menteeEmail, 'respond-expectations'), 'respond to expectations');
    await check(await linkFromMail(env.stack, c.mentorEmail, 'schedule-check-in', { step: 'check-in-1' }), 'schedule a check-in');
    await check(await linkFromMail(env.stack, c.menteeEmail, 'update-goals', { step: 'training-goals' }), 'update goals');
    await check(link(c.mentorId, 'review-goals', 'training-goals'), 'review goals');
    await check(link(c.menteeId, 'check-in-outcome', 'check-in-1'), 'check-in outcome');
    await check(link(c.mentorId, 'give-feedback', 'feedback'), 'give feedback');
    await check(link(c.menteeId, 'read-feedback', 'feedback'), 'read feedback');
    await check(await linkFromMail(env.stack, c.menteeEmail, 'request-help'), 'request help');
    await check(`/a/${issueActionToken(TEST_SECRET, { sub: c.menteeId, cyc: c.cycleId, act: 'update-goals' }, { ttlSeconds: 1, now: new Date(Date.now() - 10_000) })}`, 'an expired link');
    await check('/a/not-a-token', 'an incomplete link');
    await check(await personalLinkFrom(env.stack, c.mentorEmail), 'My mentoring of the mentor');
    await check(await personalLinkFrom(env.stack, c.menteeEmail), 'My mentoring of the mentee');
  });
});
