/**
 * Whole compressed years on the real Temporal dev server (a policy week passes each second):
 * one where the pair does everything, one where nobody does anything.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as defs from '../../src/workflows/definitions.ts';
import { enrollTestPair, eventually, outboxKinds, timeline, view, type EnrolledCycle } from '../support/cycle.ts';
import { keepHistory } from '../support/recorded-histories.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';

describe('a compressed year', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ policy: testPolicy({ timeCompression: 604_800 }) });
  });
  afterAll(() => stack?.close());

  /** Acts as both participants: does whatever the cycle says they owe, until the year rolls over. */
  async function participate(cycle: EnrolledCycle, untilYear: number): Promise<void> {
    const mentor = { role: 'mentor' as const, personId: cycle.mentorId };
    const mentee = { role: 'mentee' as const, personId: cycle.menteeId };
    const act = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (error) {
        // The cycle moved on between reading and acting; the next look decides again.
        if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      }
    };
    for (;;) {
      const v = await view(cycle);
      if (v.academicYear >= untilYear) return;
      for (const step of v.steps.filter((s) => s.state === 'open')) {
        const h = cycle.handle;
        if (step.id === 'expectations' && step.phase !== 'shared') {
          await act(() =>
            h.executeUpdate(defs.shareExpectationsUpdate, {
              args: [{ actor: mentor, expectationsId: 'exp-1', meetingCadenceDays: 14, meetingLocalTime: '10:00', meetingFormat: 'video' }],
            }),
          );
        } else if (step.id === 'expectations') {
          await act(() => h.executeUpdate(defs.acknowledgeExpectationsUpdate, { args: [{ actor: mentee }] }));
        } else if (step.kind === 'check-in' && step.phase === 'awaiting-outcome') {
          await act(() => h.executeUpdate(defs.recordCheckInOutcomeUpdate, { args: [{ actor: mentee, checkIn: Number(step.id.slice(-1)), outcome: 'held' }] }));
        } else if (step.id === 'training-goals' && step.phase === 'awaiting-goals') {
          await act(() => h.executeUpdate(defs.updateTrainingGoalsUpdate, { args: [{ actor: mentee, goalsId: 'goals-1' }] }));
        } else if (step.id === 'training-goals') {
          await act(() => h.executeUpdate(defs.reviewTrainingGoalsUpdate, { args: [{ actor: mentor }] }));
        } else if (step.id === 'feedback') {
          for (const actor of [mentor, mentee].filter((a) => !step.submitted.includes(a.role))) {
            const row = await stack.db
              .insertInto('feedback')
              .values({
                cycle_id: cycle.cycleId,
                author_person_id: actor.personId,
                author_role: actor.role,
                content: JSON.stringify({ comment: 'SECRET-FEEDBACK-TEXT' }),
              })
              .onConflict((oc) => oc.columns(['cycle_id', 'author_role']).doNothing())
              .returning('id')
              .executeTakeFirst();
            await act(() => h.executeUpdate(defs.submitFeedbackUpdate, { args: [{ actor, feedbackId: row?.id ?? 'already' }] }));
          }
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it.concurrent('runs every stage in order when the pair does its part, then continues into year two', { timeout: 240_000 }, async () => {
    const cycle = await enrollTestPair(stack);
    const firstRunId = (await cycle.handle.describe()).runId;
    await participate(cycle, cycle.academicYear + 1);

    // Every stage reached, in the plan's order, and nothing stalled.
    const events = await timeline(stack, cycle.cycleId);
    const opened = events.filter((e) => e.kind === 'step-opened').map((e) => e.step);
    expect(opened).toEqual(['expectations', 'check-in-1', 'check-in-2', 'check-in-3', 'training-goals', 'check-in-4', 'feedback', 'evaluation']);
    const closed = events.filter((e) => e.kind.startsWith('step-') && e.kind !== 'step-opened');
    expect(closed.map((e) => `${e.step}:${e.kind}`).sort()).toEqual(
      ['expectations', 'check-in-1', 'check-in-2', 'check-in-3', 'check-in-4', 'training-goals', 'feedback', 'evaluation']
        .map((s) => `${s}:step-completed`)
        .sort(),
    );
    expect(events.filter((e) => e.kind === 'ladder-rung')).toEqual([]);

    // The check-in invites went out for the slots the agreed cadence proposed.
    const sent = await outboxKinds(stack, cycle.cycleId);
    expect(sent.filter((m) => m.kind === 'check-in-invite').map((m) => m.step)).toEqual([
      'check-in-1',
      'check-in-1',
      'check-in-2',
      'check-in-2',
      'check-in-3',
      'check-in-3',
      'check-in-4',
      'check-in-4',
    ]);
    expect(sent.filter((m) => m.kind.startsWith('ladder-'))).toEqual([]);

    // The year's projection is complete; year two has its own cycle row and a new run.
    const year1 = await stack.db.selectFrom('cycles').selectAll().where('id', '=', cycle.cycleId).executeTakeFirstOrThrow();
    expect(year1.status).toBe('completed');
    const year2 = await eventually(
      () =>
        stack.db
          .selectFrom('cycles')
          .selectAll()
          .where('pair_id', '=', cycle.pairId)
          .where('academic_year', '=', cycle.academicYear + 1)
          .executeTakeFirst(),
      (row) => row?.current_step === 'expectations',
      30_000,
      'year two to open its expectations step',
    );
    expect(year2!.workflow_id).toBe(cycle.workflowId);
    const description = await cycle.handle.describe();
    expect(description.runId).not.toBe(firstRunId);
    expect(description.status.name).toBe('RUNNING');
    expect((await view(cycle)).academicYear).toBe(cycle.academicYear + 1);

    // A year's history stays small (DESIGN rule 6), and carries no feedback text.
    const history = await stack.client.workflow.getHandle(cycle.workflowId, firstRunId).fetchHistory();
    const eventCount = history.events?.length ?? 0;
    console.log(`[history] a full year with every step done: ${eventCount} events`);
    expect(eventCount).toBeLessThan(1_000);
    expect(JSON.stringify(history)).not.toContain('SECRET-FEEDBACK-TEXT');
    keepHistory(history, 'happy-year.json');

    await cycle.handle.executeUpdate(defs.endPairUpdate, { args: [{ actor: { role: 'coordinator', coordinatorId: 'c' }, reason: 'graduation' }] });
  });

  it.concurrent('climbs every rung of every step once when nobody acts, and still closes the year', { timeout: 240_000 }, async () => {
    const cycle = await enrollTestPair(stack);
    const firstRunId = (await cycle.handle.describe()).runId;
    // Mid-year the projection shows the stall the coordinator must see: oldest stall first.
    const stalled = await eventually(
      () => stack.db.selectFrom('cycles').selectAll().where('id', '=', cycle.cycleId).executeTakeFirstOrThrow(),
      (row) => row.ladder_rung === 3,
      60_000,
      'the expectations step to reach the last rung',
    );
    expect(stalled).toMatchObject({ status: 'stalled', current_step: 'expectations', owed_by: 'mentor' });
    expect(stalled.stalled_since).toBeInstanceOf(Date);
    await eventually(
      () => view(cycle),
      (v) => v.academicYear > cycle.academicYear,
      200_000,
      'the year to end',
    );

    const sent = await outboxKinds(stack, cycle.cycleId);
    const coordinator = stack.policy.department.coordinators[0]!.email;
    const resource = stack.policy.resources.find((r) => r.id === stack.policy.referralResourceId)!.email;
    for (const step of ['expectations', 'check-in-1', 'check-in-2', 'check-in-3', 'training-goals']) {
      const rungs = sent.filter((m) => m.step === step && m.kind.startsWith('ladder-'));
      const owner = step === 'expectations' ? [cycle.mentorEmail] : step === 'training-goals' ? [cycle.menteeEmail] : [cycle.mentorEmail, cycle.menteeEmail];
      // Each person's notices arrive in order; the readers of one notice are sent to side by side.
      const received = (to: string) => rungs.filter((m) => m.to_address === to).map((m) => m.kind);
      expect(rungs.length, step).toBe(owner.length + 4);
      for (const to of [cycle.mentorEmail, cycle.menteeEmail])
        expect(received(to), `${step} → ${to}`).toEqual([...(owner.includes(to) ? ['ladder-remind-owner'] : []), 'ladder-remind-both']);
      expect(received(coordinator), step).toEqual(['ladder-coordinator-stalled']);
      expect(received(resource), step).toEqual(['ladder-referral']);
    }
    // Check-in 4 is due on day 350 of 365: its referral (day 371) would come after the year ends.
    expect(sent.filter((m) => m.step === 'check-in-4' && m.kind.startsWith('ladder-')).map((m) => m.kind)).toEqual([
      'ladder-remind-owner',
      'ladder-remind-owner',
      'ladder-remind-both',
      'ladder-remind-both',
      'ladder-coordinator-stalled',
    ]);
    // Feedback has no ladder: its window simply closes; evaluation input is withheld (no responses).
    expect(sent.filter((m) => m.step === 'feedback' && m.kind.startsWith('ladder-'))).toEqual([]);
    const events = await timeline(stack, cycle.cycleId);
    expect(events.find((e) => e.step === 'feedback' && e.kind === 'step-closed')).toBeDefined();
    expect(events.find((e) => e.step === 'evaluation' && e.kind === 'step-completed')?.detail).toEqual({ phase: 'withheld' });

    // At year end the unfinished steps lapse, on the record; the next year starts clean.
    const lapsed = events.filter((e) => e.kind === 'step-closed' && (e.detail as { phase: string }).phase === 'lapsed-at-year-end').map((e) => e.step);
    expect(lapsed.sort()).toEqual(['check-in-1', 'check-in-2', 'check-in-3', 'check-in-4', 'expectations', 'training-goals']);
    expect(events.at(-1)?.kind).toBe('year-ended');

    const history = await stack.client.workflow.getHandle(cycle.workflowId, firstRunId).fetchHistory();
    console.log(`[history] a full year with every step stalled: ${history.events?.length ?? 0} events`);
    expect(history.events?.length ?? 0).toBeLessThan(1_000);
    keepHistory(history, 'stalled-year.json');
    await cycle.handle.terminate('test over');
  });
});
