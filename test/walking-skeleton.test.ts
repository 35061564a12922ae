import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollPair, EnrollmentValidationError } from '../src/enrollment/enroll-pair.ts';
import { shareExpectationsUpdate } from '../src/workflows/definitions.ts';
import { startTestStack, testPolicy, type TestStack } from './support/stack.ts';

describe('walking skeleton: enroll a pair → workflow → email', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Compressed: a policy week passes in a real second, so the 21-day deadline is 3 s.
    stack = await startTestStack({ policy: testPolicy({ timeCompression: 604_800 }) });
  });
  afterAll(() => stack?.close());

  const pair = (suffix: string) => ({
    mentor: { fullName: 'Ada Lovelace', email: `Ada.${suffix}@Example.edu`, pronouns: 'she/her' },
    mentee: { fullName: 'Grace Brewster Hopper', preferredName: 'Grace', email: `grace.${suffix}@example.edu`, pronouns: 'she/her' },
    program: 'PhD Biology',
  });

  it('starts one workflow on the real server, emails both by preferred name, and ignores re-enrollment', async () => {
    const deps = { db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, policy: stack.policy };
    const first = await enrollPair(deps, pair('a'));
    expect(first.started).toBe(true);

    const description = await stack.client.workflow.getHandle(first.workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe('mentoringCycle');

    const messages = await stack.mail.waitFor((m) => m.length >= 2);
    const toMentor = stack.mail.to('ada.a@example.edu');
    const toMentee = stack.mail.to('grace.a@example.edu');
    expect(toMentor).toHaveLength(1);
    expect(toMentee).toHaveLength(1);
    expect(toMentor[0]!.parsed.subject).toBe('Please share your expectations with Grace');
    expect(toMentor[0]!.parsed.text).toContain('Dear Ada Lovelace,');
    expect(toMentee[0]!.parsed.text).toContain('Dear Grace,');
    expect(toMentee[0]!.parsed.text).not.toContain('Grace Brewster Hopper');
    expect(messages.every((m) => m.parsed.messageId?.endsWith('@biology.example.edu>'))).toBe(true);

    const again = await enrollPair(deps, pair('a'));
    expect(again.started).toBe(false);
    expect(again.workflowId).toBe(first.workflowId);
    const executions = [];
    for await (const wf of stack.client.workflow.list({ query: `WorkflowId = '${first.workflowId}'` })) executions.push(wf);
    expect(executions).toHaveLength(1);
    const cycles = await stack.db.selectFrom('cycles').select('id').where('pair_id', '=', first.pairId).execute();
    expect(cycles).toHaveLength(1);
    const people = await stack.db.selectFrom('people').select('email').where('email', 'in', ['ada.a@example.edu', 'grace.a@example.edu']).execute();
    expect(people).toHaveLength(2);

    // The workflow waits for the mentor's Update; it is accepted and projected.
    const handle = stack.client.workflow.getHandle(first.workflowId);
    const view = await handle.executeUpdate(shareExpectationsUpdate, {
      args: [
        { actor: { role: 'mentor', personId: first.pairId }, expectationsId: 'e1', meetingCadenceDays: 14, meetingLocalTime: '10:00', meetingFormat: 'video' },
      ],
    });
    expect(view.steps.find((s) => s.id === 'expectations')).toMatchObject({ state: 'open', phase: 'shared', owedBy: 'mentee' });
    const projected = await stack.db
      .selectFrom('cycles')
      .select(['status', 'current_step', 'owed_by'])
      .where('id', '=', first.cycleId)
      .executeTakeFirstOrThrow();
    expect(projected).toEqual({ status: 'running', current_step: 'expectations', owed_by: 'mentee' });
    await handle.terminate('test over');
  });

  it('rejects a bad email or a missing name and writes nothing', async () => {
    const deps = { db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, policy: stack.policy };
    const before = await stack.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const bad = { mentor: { fullName: '', email: 'not-an-email' }, mentee: { fullName: 'Someone', email: 'someone@example.edu' } };
    const error = await enrollPair(deps, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnrollmentValidationError);
    expect((error as EnrollmentValidationError).problems).toEqual([
      { field: 'mentor-name', reason: 'is required' },
      { field: 'mentor-email', reason: '"not-an-email" is not an email address' },
    ]);
    const after = await stack.db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
