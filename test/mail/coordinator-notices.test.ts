/**
 * Department notices reach the staff who hold the coordinator role, read at send time; the
 * policy file's coordinator addresses only when the department has no staff coordinator.
 * A referral's subject names the stalled step, so a resource office can tell a pair's
 * check-in 2 from its feedback.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPair, startMailFixture, type MailFixture } from './support/mail-fixture.ts';

describe('coordinator notices', () => {
  let f: MailFixture;
  beforeAll(async () => {
    f = await startMailFixture();
  });
  afterAll(async () => f?.close());

  const stalled = (cycleId: string, sequence: number) =>
    f.activities.sendNotification({ cycleId, step: 'check-in-2', kind: 'ladder-coordinator-stalled', audience: ['coordinators'], sequence, facts: {} });

  it('go to the policy address while no staff coordinator exists, then to the staff coordinators only', async () => {
    const pair = await createPair(f.db, f.policy);
    const policyAddress = f.policy.department.coordinators[0]!.email;
    const before = f.mail.to(policyAddress).length;
    await stalled(pair.cycleId, 1);
    await f.mail.waitFor(() => f.mail.to(policyAddress).length === before + 1);
    expect(f.mail.to(policyAddress).at(-1)!.parsed.subject).toMatch(/^Stalled: /);

    const email = `cora.${randomUUID().slice(0, 6)}@example.edu`;
    await f.db
      .insertInto('staff')
      .values({ department_id: f.policy.department.id, email, name: 'Cora Coordinator', roles: ['coordinator', 'evaluation'] })
      .execute();
    await f.db
      .insertInto('staff')
      .values({ department_id: f.policy.department.id, email: `eve.${randomUUID().slice(0, 6)}@example.edu`, name: 'Eve', roles: ['evaluation'] })
      .execute();
    await stalled(pair.cycleId, 2);
    await f.mail.waitFor(() => f.mail.to(email).length === 1);
    const message = f.mail.to(email)[0]!.parsed;
    expect(message.subject).toMatch(/^Stalled: /);
    expect(message.text).toContain('Dear Cora Coordinator');
    // The policy address is the fallback only: it got nothing more.
    expect(f.mail.to(policyAddress).length).toBe(before + 1);
    expect(f.mail.messages.filter((m) => m.parsed.subject?.startsWith('Stalled') && m.envelopeTo.some((r) => r.startsWith('eve.')))).toEqual([]);
  });

  it('name the step in a referral subject', async () => {
    const pair = await createPair(f.db, f.policy, { mentor: { fullName: 'Ada Lovelace' }, mentee: { fullName: 'Grace Hopper' } });
    const resource = f.policy.resources.find((r) => r.id === f.policy.referralResourceId)!;
    for (const step of ['check-in-2', 'feedback']) {
      await f.activities.sendNotification({ cycleId: pair.cycleId, step, kind: 'ladder-referral', audience: ['referral-resource'], sequence: 4, facts: {} });
    }
    await f.mail.waitFor(() => f.mail.to(resource.email).filter((m) => m.parsed.subject?.includes('Ada Lovelace')).length === 2);
    const subjects = f.mail
      .to(resource.email)
      .filter((m) => m.parsed.subject?.includes('Ada Lovelace'))
      .map((m) => m.parsed.subject);
    expect(subjects.sort()).toEqual([
      'Referral: check-in 2 of Ada Lovelace and Grace Hopper stalled',
      'Referral: feedback of Ada Lovelace and Grace Hopper stalled',
    ]);
  });
});
