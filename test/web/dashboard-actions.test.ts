/**
 * The dashboard's actions reach the real workflow: a compressed-policy cycle stalls, shows up
 * first on the dashboard, and the coordinator's forms move it (Updates on the real Temporal
 * dev server and worker); the projection and the pages follow. Rejected Updates show why.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { enrollTestPair, eventually, outboxKinds } from '../support/cycle.ts';
import { testPolicy } from '../support/stack.ts';
import { makeStaff, ORIGIN, signIn } from './dashboard-support.ts';
import { useWebStack } from './support/web-stack.ts';

describe('coordinator actions on a live cycle', () => {
  // A week passes every second: the expectations step stalls (due + 14 days) about 5 s in.
  const env = useWebStack({ policy: testPolicy({ timeCompression: 604_800 }) });
  let session: { cookie: string; csrf: string };
  beforeAll(async () => {
    session = await signIn(env.web, env.stack, (await makeStaff(env.stack)).email);
  });

  const act = (cycleId: string, action: string, fields: Record<string, string> = {}) =>
    env.web.inject({
      method: 'POST',
      url: `/dashboard/cycles/${cycleId}/${action}`,
      headers: { cookie: session.cookie, ...ORIGIN },
      payload: { _csrf: session.csrf, ...fields },
    });
  const cycleRow = (cycleId: string) => env.stack.db.selectFrom('cycles').selectAll().where('id', '=', cycleId).executeTakeFirstOrThrow();

  it('a stalled cycle appears first; nudge, resolve, pause, resume and end move the workflow and the page', async () => {
    const c = await enrollTestPair(env.stack);
    await eventually(
      () => cycleRow(c.cycleId),
      (r) => r.status === 'stalled',
      30_000,
      'a stall',
    );

    const dashboard = await env.web.inject({ method: 'GET', url: '/dashboard', headers: { cookie: session.cookie } });
    const firstRow = /<tr id="cycle-([0-9a-f-]+)" data-cycle-id="[^"]+" data-status="(\w+)"/.exec(dashboard.body);
    expect(firstRow?.slice(1)).toEqual([c.cycleId, 'stalled']);

    const nudged = await act(c.cycleId, 'nudge', { step: 'expectations' });
    expect(nudged.statusCode).toBe(303);
    expect(nudged.headers.location).toBe(`/dashboard/cycles/${c.cycleId}?done=nudge`);
    // The nudge's mail follows the Update through the outbox: wait for it rather than read at once.
    const nudges = await eventually(
      () => outboxKinds(env.stack, c.cycleId),
      (rows) => rows.some((m) => m.kind === 'nudge'),
      30_000,
      'the nudge in the outbox',
    );
    expect(nudges.filter((m) => m.kind === 'nudge').map((m) => m.to_address)).toEqual([c.mentorEmail]);
    const done = await env.web.inject({ method: 'GET', url: nudged.headers.location as string, headers: { cookie: session.cookie } });
    expect(done.body).toContain('id="action-done"');
    expect(done.body).toMatch(/data-kind="nudged"/);

    // The workflow refuses what does not fit, and the page says why.
    const notPaused = await act(c.cycleId, 'resume');
    expect(notPaused.statusCode).toBe(409);
    expect(notPaused.body).toContain('Not done: The cycle is not paused.');

    const resolved = await act(c.cycleId, 'resolve', { step: 'expectations' });
    expect(resolved.statusCode).toBe(303);
    const afterResolve = await cycleRow(c.cycleId);
    expect(afterResolve.status).not.toBe('stalled');
    expect(afterResolve.current_step).not.toBe('expectations');
    // A stale page acting on the finished step is refused by the workflow.
    const stale = await act(c.cycleId, 'resolve', { step: 'expectations' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('The step &quot;expectations&quot; is already finished.');

    const badDate = await act(c.cycleId, 'pause', { reason: 'leave', until: '2026-02-30' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('until: must be a date');
    expect(badDate.body).toContain('value="2026-02-30"');
    expect((await cycleRow(c.cycleId)).status).not.toBe('paused');

    expect((await act(c.cycleId, 'pause', { reason: 'leave', until: '' })).statusCode).toBe(303);
    expect((await cycleRow(c.cycleId)).status).toBe('paused');
    const pausedPage = await env.web.inject({ method: 'GET', url: `/dashboard/cycles/${c.cycleId}`, headers: { cookie: session.cookie } });
    expect(pausedPage.body).toContain('id="resume-button"');
    expect((await act(c.cycleId, 'resume')).statusCode).toBe(303);
    expect((await cycleRow(c.cycleId)).status).not.toBe('paused');

    const unconfirmed = await act(c.cycleId, 'end', { reason: 'graduation' });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('confirm: tick the box');
    expect((await cycleRow(c.cycleId)).status).not.toBe('ended');
    const ended = await act(c.cycleId, 'end', { reason: 'graduation', confirm: 'yes' });
    expect(ended.statusCode).toBe(303);
    expect((await cycleRow(c.cycleId)).status).toBe('ended');
    const pair = await env.stack.db.selectFrom('pairs').select(['status', 'ended_reason']).where('id', '=', c.pairId).executeTakeFirstOrThrow();
    expect(pair).toEqual({ status: 'ended', ended_reason: 'graduation' });
    const endedPage = await env.web.inject({ method: 'GET', url: `/dashboard/cycles/${c.cycleId}`, headers: { cookie: session.cookie } });
    expect(endedPage.body).toContain('id="no-actions"');
    expect(endedPage.body).toMatch(/data-kind="pair-ended"/);
    await c.handle.terminate('test over').catch(() => {});
  });

  it('snoozes a stalled step until a date', async () => {
    const c = await enrollTestPair(env.stack);
    await eventually(
      () => cycleRow(c.cycleId),
      (r) => r.status === 'stalled',
      30_000,
      'a stall',
    );
    const past = await act(c.cycleId, 'snooze', { step: 'expectations', until: '2020-01-01' });
    expect(past.statusCode).toBe(409);
    expect(past.body).toContain('Snooze until a future date.');
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect((await act(c.cycleId, 'snooze', { step: 'expectations', until })).statusCode).toBe(303);
    const event = await env.stack.db
      .selectFrom('cycle_events')
      .select('detail')
      .where('cycle_id', '=', c.cycleId)
      .where('kind', '=', 'escalation-snoozed')
      .executeTakeFirstOrThrow();
    expect(String(event.detail.until).slice(0, 10)).toBe(until);
    await c.handle.terminate('test over').catch(() => {});
  });
});
