/** Helpers for driving a real mentoring cycle in tests: enroll, observe, act. */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { enrollPair, type EnrollPairResult } from '../../src/enrollment/enroll-pair.ts';
import { cycleViewQuery, type CycleView } from '../../src/workflows/definitions.ts';
import type { mentoringCycle } from '../../src/workflows/mentoring-cycle.ts';
import type { TestStack } from './stack.ts';

export interface EnrolledCycle extends EnrollPairResult {
  handle: WorkflowHandle<typeof mentoringCycle>;
  mentorId: string;
  menteeId: string;
  mentorEmail: string;
  menteeEmail: string;
}

export async function enrollTestPair(stack: TestStack, options: { menteePreferredName?: string; timeZone?: string } = {}): Promise<EnrolledCycle> {
  const tag = randomUUID().slice(0, 8);
  const mentorEmail = `mentor.${tag}@example.edu`;
  const menteeEmail = `mentee.${tag}@example.edu`;
  const result = await enrollPair(
    { db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, policy: stack.policy },
    {
      mentor: { fullName: `Mentor ${tag}`, email: mentorEmail, pronouns: 'she/her', timeZone: options.timeZone },
      mentee: {
        fullName: `Mentee ${tag}`,
        preferredName: options.menteePreferredName ?? `Mo ${tag}`,
        email: menteeEmail,
        pronouns: 'they/them',
        timeZone: options.timeZone,
      },
      program: 'PhD Biology',
    },
  );
  const pair = await stack.db.selectFrom('pairs').select(['mentor_id', 'mentee_id']).where('id', '=', result.pairId).executeTakeFirstOrThrow();
  return {
    ...result,
    handle: stack.client.workflow.getHandle<typeof mentoringCycle>(result.workflowId),
    mentorId: pair.mentor_id,
    menteeId: pair.mentee_id,
    mentorEmail,
    menteeEmail,
  };
}

/** Polls until `predicate` holds, failing with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, predicate: (value: T) => boolean, timeoutMs = 90_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!predicate(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await sleep(100);
    last = await read();
  }
  return last;
}

export function view(cycle: EnrolledCycle): Promise<CycleView> {
  return cycle.handle.query(cycleViewQuery);
}

export async function outboxKinds(stack: TestStack, cycleId: string): Promise<{ step: string | null; kind: string; sequence: number; to_address: string }[]> {
  return stack.db.selectFrom('outbox').select(['step', 'kind', 'sequence', 'to_address']).where('cycle_id', '=', cycleId).orderBy('id').execute();
}

export async function timeline(stack: TestStack, cycleId: string): Promise<{ step: string | null; kind: string; detail: Record<string, unknown> }[]> {
  return stack.db.selectFrom('cycle_events').select(['step', 'kind', 'detail']).where('cycle_id', '=', cycleId).orderBy('id').execute();
}
