/**
 * A pair that joins the year late, on the real Temporal dev server: a compressed policy with
 * the default's proportions (a policy week each second), and a pair enrolled on day 100 of its
 * year. Nothing about a deadline before day 100 may reach anyone; its first messages are the
 * expectations request and the one check-in window that is current.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollPair } from '../../src/enrollment/enroll-pair.ts';
import { policyDaysToMs } from '../../src/domain/policy.ts';
import { eventually, outboxKinds, timeline } from '../support/cycle.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';

describe('joining the year late', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ policy: testPolicy({ timeCompression: 604_800 }) });
  });
  afterAll(() => stack?.close());

  it('enrolled on day 100: expectations and check-in 2 open, check-in 1 is "before enrollment", escalation counts from enrollment', async () => {
    const policy = stack.policy;
    const tag = randomUUID().slice(0, 8);
    const startsAt = new Date(Date.now() - policyDaysToMs(policy, 100));
    const result = await enrollPair(
      { db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, policy },
      {
        mentor: { fullName: `Mentor ${tag}`, email: `mentor.${tag}@example.edu` },
        mentee: { fullName: `Mentee ${tag}`, email: `mentee.${tag}@example.edu` },
        program: 'PhD Biology',
        startsAt,
      },
    );
    const cycle = await stack.db.selectFrom('cycles').select(['enrolled_at', 'joined_at']).where('id', '=', result.cycleId).executeTakeFirstOrThrow();
    const joinedAt = cycle.joined_at!.getTime();
    expect(joinedAt - cycle.enrolled_at.getTime()).toBeGreaterThanOrEqual(policyDaysToMs(policy, 100));

    // Wait for the expectations step to climb its whole ladder (due 21 policy days after
    // enrollment, referral 21 days later): every escalation the pair could get by then is in.
    const sent = await eventually(
      () => outboxKinds(stack, result.cycleId),
      (rows) => rows.some((r) => r.step === 'expectations' && r.kind === 'ladder-referral'),
      120_000,
      'the expectations referral',
    );
    const firstFour = sent.slice(0, 4).map((r) => `${r.step}:${r.kind}`);
    expect(new Set(firstFour)).toEqual(new Set(['expectations:expectations-requested', 'check-in-2:check-in-window-open']));
    // No message of any kind for check-in 1, whose window closed on day 91, and only one check-in window opened.
    expect(sent.filter((r) => r.step === 'check-in-1')).toEqual([]);
    expect(sent.filter((r) => r.kind === 'check-in-window-open').map((r) => r.step)).toEqual(['check-in-2', 'check-in-2']);
    // One referral, to the referral resource, for the re-opened expectations step only.
    expect(sent.filter((r) => r.kind === 'ladder-referral').map((r) => r.step)).toEqual(['expectations']);

    const events = await timeline(stack, result.cycleId);
    const opened = events.find((e) => e.step === 'expectations' && e.kind === 'step-opened')!;
    // The expectations window is the policy's own 21 days, from the enrollment instant.
    expect(Date.parse(String(opened.detail.dueAt)) - joinedAt).toBeGreaterThanOrEqual(policyDaysToMs(policy, 21) - 1_000);
    expect(events.filter((e) => e.step === 'check-in-1').map((e) => e.kind)).toEqual(['step-before-enrollment']);
    // Every ladder rung is for a step due after the pair joined.
    const rungSteps = new Set(events.filter((e) => e.kind === 'ladder-rung').map((e) => e.step));
    expect([...rungSteps]).toEqual(['expectations']);
    await stack.client.workflow.getHandle(result.workflowId).terminate('test over');
  }, 180_000);
});
