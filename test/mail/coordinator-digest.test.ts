/**
 * A coordinator who chose the daily digest gets a stalled pair's notice in it, on the digest
 * core's durable timer, while a coordinator who chose "as they happen" gets it at once; both
 * on a real compressed-policy cycle on the real Temporal server.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTestPair, type EnrolledCycle } from '../support/cycle.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';

describe('coordinator notices by daily digest', () => {
  let stack: TestStack;
  let cycle: EnrolledCycle | undefined;
  beforeAll(async () => {
    // A week passes every second: the expectations step stalls (due + 14 days) a few seconds in.
    stack = await startTestStack({ policy: testPolicy({ timeCompression: 604_800 }) });
  });
  afterAll(async () => {
    await cycle?.handle.terminate('test over').catch(() => {});
    await stack?.close();
  });

  it('holds the stalled notice for the digest coordinator and sends it in one digest', async () => {
    const tag = randomUUID().slice(0, 6);
    await stack.db
      .insertInto('departments')
      .values({ id: stack.policy.department.id, name: stack.policy.department.name })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const now = `now.${tag}@example.edu`;
    const daily = `daily.${tag}@example.edu`;
    await stack.db
      .insertInto('staff')
      .values([
        { department_id: stack.policy.department.id, email: now, name: 'Nia Now', roles: ['coordinator'] },
        { department_id: stack.policy.department.id, email: daily, name: 'Dee Daily', roles: ['coordinator'], notice_delivery: 'digest' },
      ])
      .execute();
    cycle = await enrollTestPair(stack);

    await stack.mail.waitFor(() => stack.mail.to(now).some((m) => m.parsed.subject?.startsWith('Stalled:')), 60_000);
    await stack.mail.waitFor(() => stack.mail.to(daily).length > 0, 60_000);
    const digest = stack.mail.to(daily);
    expect(digest).toHaveLength(1);
    expect(digest[0]!.parsed.subject).toBe('Your daily mentoring digest: 1 notice');
    const text = digest[0]!.parsed.text ?? '';
    expect(text).toContain('Stalled: ');
    expect(text).toContain(`/dashboard/cycles/${cycle.cycleId}`);
    // The policy file's address is only a fallback: with staff coordinators it hears nothing.
    expect(stack.mail.to(stack.policy.department.coordinators[0]!.email).filter((m) => m.parsed.subject?.startsWith('Stalled:'))).toEqual([]);
  });
});
