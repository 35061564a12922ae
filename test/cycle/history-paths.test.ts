/**
 * Recorded histories for the paths a cycle can take beyond the full years of full-year.test.ts:
 * pause and resume, questioned expectations, ending early, a feedback window that closes with
 * one side submitted, and the second year a cycle continues into. Each runs for real on the dev
 * server; each history must hold no email address (workflow inputs carry ids and states only).
 * RECORD_HISTORIES writes them to test/histories (test/support/recorded-histories.ts), where replay.test.ts replays them all.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as defs from '../../src/workflows/definitions.ts';
import { enrollTestPair, eventually, view, type EnrolledCycle } from '../support/cycle.ts';
import { keepHistory } from '../support/recorded-histories.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';
import { emailAddressesIn } from './history-privacy.ts';

const coordinator = { role: 'coordinator' as const, coordinatorId: 'coordinator-1' };

async function keep(handle: WorkflowHandle, runId: string, file: string): Promise<void> {
  const history = await handle.client.getHandle(handle.workflowId, runId).fetchHistory();
  expect(emailAddressesIn(keepHistory(history, file)), file).toEqual([]);
  // A new run's input names its behaviours (run-behaviours.ts), so it asks no patch: each
  // marker would also cost a TemporalChangeVersion upsert, two events and a visibility write.
  const patchMarkers = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
  expect(patchMarkers.length, `${file}: patch markers`).toBe(0);
  const events = history.events!;
  // A first year starts with its search attributes (definitions.ts), so its first task, whose state agrees, upserts none
  // (a next year starts with the last year's, and upserts its new stage).
  if (!events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId) {
    const completed = events.findIndex((e) => e.workflowTaskCompletedEventAttributes);
    const firstTaskEnd = events.findIndex((e, i) => i > completed && e.workflowTaskScheduledEventAttributes);
    const firstTask = events.slice(0, firstTaskEnd === -1 ? events.length : firstTaskEnd);
    expect(
      firstTask.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes),
      `${file}: upserts in the first task`,
    ).toEqual([]);
  }
}

describe('histories of every path a cycle can take', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // A policy week each second: a year is about a minute.
    stack = await startTestStack({ policy: testPolicy({ timeCompression: 604_800 }) });
  });
  afterAll(() => stack?.close());

  const share = (c: EnrolledCycle) =>
    c.handle.executeUpdate(defs.shareExpectationsUpdate, {
      args: [
        { actor: { role: 'mentor', personId: c.mentorId }, expectationsId: 'exp-1', meetingCadenceDays: 7, meetingLocalTime: '10:00', meetingFormat: 'video' },
      ],
    });

  it.concurrent('pause for leave, resume, then the coordinator ends the pair', async () => {
    const c = await enrollTestPair(stack);
    const runId = (await c.handle.describe()).runId;
    await c.handle.executeUpdate(defs.pauseCycleUpdate, {
      args: [{ actor: { role: 'mentor', personId: c.mentorId }, reason: 'leave', contingencyContactId: c.menteeId }],
    });
    await c.handle.executeUpdate(defs.resumeCycleUpdate, { args: [{ actor: coordinator }] });
    await share(c);
    await c.handle.executeUpdate(defs.endPairUpdate, { args: [{ actor: coordinator, reason: 'lab-change' }] });
    expect((await c.handle.result()).status).toBe('ended');
    await keep(c.handle, runId, 'pause-resume.json');
  });

  // Recorded with check-in 1 booked before the end; that is waited for only when recording: on a
  // loaded machine the compressed year can run past it, and the path to the end is what is checked.
  it.concurrent('expectations questioned, shared again and acknowledged; the pair ends early', async () => {
    const c = await enrollTestPair(stack);
    const runId = (await c.handle.describe()).runId;
    const mentee = { role: 'mentee' as const, personId: c.menteeId };
    await share(c);
    await c.handle.executeUpdate(defs.questionExpectationsUpdate, { args: [{ actor: mentee, questionId: 'question-1' }] });
    await share(c);
    await c.handle.executeUpdate(defs.acknowledgeExpectationsUpdate, { args: [{ actor: mentee }] });
    if (process.env.RECORD_HISTORIES)
      await eventually(
        () => view(c),
        (v) => v.steps.find((s) => s.id === 'check-in-1')?.phase === 'scheduled',
        60_000,
        'check-in 1 to be scheduled',
      );
    await c.handle.executeUpdate(defs.endPairUpdate, { args: [{ actor: coordinator, reason: 'graduation' }] });
    expect((await c.handle.result()).endedReason).toBe('graduation');
    await keep(c.handle, runId, 'questioned-then-ended.json');
  });

  it.concurrent('the feedback window closes with one side submitted; the cycle continues into a second year', { timeout: 300_000 }, async () => {
    const c = await enrollTestPair(stack);
    const firstRunId = (await c.handle.describe()).runId;
    await eventually(
      () => view(c),
      (v) => v.steps.find((s) => s.id === 'feedback')?.state === 'open',
      200_000,
      'the feedback window to open',
    );
    await c.handle.executeUpdate(defs.submitFeedbackUpdate, { args: [{ actor: { role: 'mentor', personId: c.mentorId }, feedbackId: 'feedback-1' }] });
    const secondYear = await eventually(
      () => view(c),
      (v) => v.academicYear > c.academicYear,
      200_000,
      'the second year',
    );
    await keep(c.handle, firstRunId, 'feedback-window-closes.json');

    // The second year's run starts from the activity's slim input.
    const secondRunId = (await c.handle.describe()).runId;
    expect(secondRunId).not.toBe(firstRunId);
    expect(secondYear.steps.find((s) => s.id === 'expectations')?.state).toBe('open');
    await share(c);
    await c.handle.executeUpdate(defs.endPairUpdate, { args: [{ actor: coordinator, reason: 'graduation' }] });
    await c.handle.result();
    await keep(c.handle, secondRunId, 'second-year.json');
  });
});
