/**
 * An Update slower than the page's deadline, on the real stack: the worker is stopped while
 * the mentor shares expectations from the emailed link. The page does not say it failed; it
 * says the outcome is not known yet. The worker comes back, the same link is sent again, and
 * nothing is applied twice: one expectations version, one "shared" on the timeline.
 */
import { describe, expect, it } from 'vitest';
import { OUTCOME_UNKNOWN } from '../../src/web/participant/run-update.ts';
import { enrollTestPair, eventually, timeline, view } from '../support/cycle.ts';
import { claimsOf, EXPECTATIONS, linkFromMail, postForm } from './support/participant-web.ts';
import { useWebStack } from './support/web-stack.ts';

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

describe('an Update that outlasts the page', () => {
  const env = useWebStack();

  it('is reported as not confirmed (never as failed), and sending the same link again changes nothing', { timeout: 120_000 }, async () => {
    const c = await enrollTestPair(env.stack);
    const link = await linkFromMail(env.stack, c.mentorEmail, 'share-expectations', { step: 'expectations' });
    const versions = () => env.stack.db.selectFrom('expectations').select(['id', 'version']).where('cycle_id', '=', c.cycleId).execute();

    await env.stack.stopWorker();
    const first = await postForm(env.web, link, EXPECTATIONS);
    expect(first.statusCode).toBe(202);
    expect(first.body).toContain('Sent, not confirmed yet');
    expect(first.body).toContain(escaped(OUTCOME_UNKNOWN));
    expect(first.body).not.toMatch(/fail|was not (shared|recorded|booked)|could not be recorded|please try again/i);
    // What the mentor wrote is kept (saved once, and shown again in the form).
    expect(first.body).toContain(escaped(EXPECTATIONS.work_life_boundaries));
    const saved = await versions();
    expect(saved).toHaveLength(1);
    expect(await env.stack.db.selectFrom('pending_action_saves').select('jti').where('jti', '=', claimsOf(link).jti).execute()).toHaveLength(1);

    await env.stack.startWorker();
    const second = await postForm(env.web, link, EXPECTATIONS);
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Your expectations are shared with');
    expect(await versions()).toEqual(saved);
    expect((await view(c)).steps.find((s) => s.id === 'expectations')).toMatchObject({ phase: 'shared', owedBy: 'mentee' });
    const shared = await eventually(
      () => timeline(env.stack, c.cycleId),
      (rows) => rows.some((e) => e.kind === 'expectations-shared'),
      30_000,
      'the share on the timeline',
    );
    expect(shared.filter((e) => e.kind === 'expectations-shared')).toHaveLength(1);
    // The pending save is settled once the outcome is known.
    expect(await env.stack.db.selectFrom('pending_action_saves').select('jti').where('jti', '=', claimsOf(link).jti).execute()).toEqual([]);

    // A third send is the used link's page: still one version.
    const third = await postForm(env.web, link, EXPECTATIONS);
    expect(third.statusCode).toBe(409);
    expect(await versions()).toEqual(saved);
    await c.handle.terminate('test over');
  });
});
