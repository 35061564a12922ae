import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRoster } from '../../src/enrollment/import-roster.ts';
import { ensureRolloverSchedule, rolloverScheduleId } from '../../src/temporal/rollover-schedule.ts';
import type { fallRollover } from '../../src/workflows/fall-rollover.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { departmentRows, rosterOf } from './support.ts';

describe('fall rollover on the real dev server', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.close());

  it('starts a new-year cycle only for active pairs without a running workflow, and tells the coordinators once', async () => {
    const deps = { db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, policy: stack.policy };
    const pair = (n: string) => [`Mentor ${n}`, `mentor.${n}@example.edu`, `Mentee ${n}`, `mentee.${n}@example.edu`, 'PhD Biology', '2098'];
    const imported = await importRoster(deps, rosterOf([pair('running'), pair('finished'), pair('ended')]));
    expect(imported.ok && imported.summary.cycles?.started).toBe(3);
    const rows = await departmentRows(stack.db, stack.policy.department.id);
    const pairId = (n: string) => rows.pairs.find((p) => p.mentor === `mentor.${n}@example.edu`)!.id;
    const cycleOf = (n: string) => rows.cycles.find((c) => c.pair_id === pairId(n))!;
    // 'finished': its year ended without continuing; 'ended': the pair left the program.
    await stack.client.workflow.getHandle(cycleOf('finished').workflow_id).terminate('year over (test)');
    await stack.client.workflow.getHandle(cycleOf('ended').workflow_id).terminate('pair ended (test)');
    await stack.db.updateTable('pairs').set({ status: 'ended', ended_reason: 'graduation', ended_at: new Date() }).where('id', '=', pairId('ended')).execute();
    // 'new': enrolled in Postgres, but its cycle never got a workflow.
    const mentor = rows.people.find((p) => p.email === 'mentor.running@example.edu')!;
    const lone = await stack.db
      .insertInto('people')
      .values({
        department_id: stack.policy.department.id,
        email: 'lone.mentee@example.edu',
        full_name: 'Lone Mentee',
        preferred_name: null,
        pronouns: null,
        time_zone: 'UTC',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const loneId = (
      await stack.db
        .insertInto('pairs')
        .values({
          department_id: stack.policy.department.id,
          mentor_id: mentor.id,
          mentee_id: lone.id,
          program: 'PhD Biology',
          meeting_preferences: null,
          ended_reason: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const mailsBefore = stack.mail.messages.length;

    const run = () =>
      stack.client.workflow.execute<typeof fallRollover>('fallRollover', {
        workflowId: `fall-rollover-test-${randomUUID()}`,
        taskQueue: stack.taskQueue,
        args: [{ academicYear: 2099 }],
      });
    const first = await run();
    expect(first).toEqual({ academicYear: 2099, activePairs: 3, continuing: 1, started: 2, alreadyRunning: 0, coordinatorsNotified: 1 });

    const after = await departmentRows(stack.db, stack.policy.department.id);
    const newYear = after.cycles.filter((c) => c.academic_year === 2099);
    expect(newYear.map((c) => c.pair_id).sort()).toEqual([pairId('finished'), loneId].sort());
    for (const c of newYear) expect((await stack.client.workflow.getHandle(c.workflow_id).describe()).status.name).toBe('RUNNING');

    const notices = await stack.mail.waitFor((m) => m.some((x) => x.parsed.headers.get('x-tandem-kind') === 'enrollment-open'));
    const open = notices.filter((x) => x.parsed.headers.get('x-tandem-kind') === 'enrollment-open');
    expect(open).toHaveLength(1);
    expect(open[0]!.parsed.subject).toBe('Mentoring enrollment for 2099–00 is open');
    expect(stack.mail.to(stack.policy.department.coordinators[0]!.email)).toHaveLength(1);
    expect(stack.mail.messages.length).toBeGreaterThan(mailsBefore);

    // Running it again: every active pair now has a running cycle, and the notice is not repeated.
    const second = await run();
    expect(second).toEqual({ academicYear: 2099, activePairs: 3, continuing: 3, started: 0, alreadyRunning: 0, coordinatorsNotified: 0 });
    expect((await departmentRows(stack.db, stack.policy.department.id)).cycles).toHaveLength(after.cycles.length);
    expect(stack.mail.to(stack.policy.department.coordinators[0]!.email)).toHaveLength(1);
  });

  it('creates the yearly schedule on the policy date, and updates it in place when run again', async () => {
    const created = await ensureRolloverSchedule(stack.client, { policy: stack.policy, taskQueue: stack.taskQueue });
    const again = await ensureRolloverSchedule(stack.client, { policy: { ...stack.policy, academicYearStart: '08-15' }, taskQueue: stack.taskQueue });
    const handle = stack.client.schedule.getHandle(rolloverScheduleId(stack.policy));
    try {
      expect([created, again]).toEqual([true, false]);
      const description = await handle.describe();
      expect(description.spec.calendars).toEqual([
        expect.objectContaining({ month: [{ start: 'AUGUST', end: 'AUGUST', step: 1 }], dayOfMonth: [{ start: 15, end: 15, step: 1 }] }),
      ]);
      expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'fallRollover', taskQueue: stack.taskQueue });
      const next = description.info.nextActionTimes[0]!;
      expect([next.getUTCMonth(), next.getUTCDate(), next.getUTCHours()]).toEqual([7, 15, 0]);
    } finally {
      await handle.delete();
    }
  });
});
