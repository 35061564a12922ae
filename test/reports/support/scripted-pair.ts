/**
 * A pair that plays its year by a script, through the workflow's real Updates on the real
 * Temporal dev server: what it does with each step, when it takes time away, and which
 * stalls the coordinator resolves. The year report's tests arrange their counts this way.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { enrollPair } from '../../../src/enrollment/enroll-pair.ts';
import * as defs from '../../../src/workflows/definitions.ts';
import type { mentoringCycle } from '../../../src/workflows/mentoring-cycle.ts';
import type { TestStack } from '../../support/stack.ts';

export type CheckInPlay = 'held' | 'missed-then-rescheduled' | 'ignored';

export interface PairScript {
  name: string;
  program: string;
  /** "ignored": nobody shares them; the coordinator resolves the step once it stalls. */
  expectations: 'set' | 'ignored';
  checkIns: [CheckInPlay, CheckInPlay, CheckInPlay, CheckInPlay];
  goals: 'reviewed' | 'updated' | 'ignored';
  feedbackBy: ('mentor' | 'mentee')[];
  /** Takes time away (leave) once the expectations are done, for about `awaySeconds`. */
  awaySeconds?: number;
}

export interface ScriptedPair {
  script: PairScript;
  pairId: string;
  cycleId: string;
  workflowId: string;
  academicYear: number;
  mentorId: string;
  menteeId: string;
  mentorEmail: string;
  menteeEmail: string;
}

export async function enrollScripted(stack: TestStack, script: PairScript, tag: string): Promise<ScriptedPair> {
  const mentorEmail = `mentor.${script.name}.${tag}@example.edu`.toLowerCase();
  const menteeEmail = `mentee.${script.name}.${tag}@example.edu`.toLowerCase();
  const result = await enrollPair(
    { db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, policy: stack.policy },
    {
      mentor: { fullName: `Mentor ${script.name}`, email: mentorEmail },
      mentee: { fullName: `Mentee ${script.name}`, email: menteeEmail },
      program: script.program,
    },
  );
  const pair = await stack.db.selectFrom('pairs').select(['mentor_id', 'mentee_id']).where('id', '=', result.pairId).executeTakeFirstOrThrow();
  return { script, ...result, mentorId: pair.mentor_id, menteeId: pair.mentee_id, mentorEmail, menteeEmail };
}

/** Plays the pair's first year by its script; returns when the workflow has moved on to the next year. */
export async function playYear(stack: TestStack, pair: ScriptedPair): Promise<void> {
  const handle = stack.client.workflow.getHandle<typeof mentoringCycle>(pair.workflowId);
  const { script } = pair;
  const mentor = { role: 'mentor' as const, personId: pair.mentorId };
  const mentee = { role: 'mentee' as const, personId: pair.menteeId };
  const coordinator = { role: 'coordinator' as const, coordinatorId: 'report-test' };
  const missedOnce = new Set<string>();
  let away: 'not-yet' | number | 'done' = script.awaySeconds ? 'not-yet' : 'done';
  const act = async <A>(update: UpdateDefinition<defs.CycleView, [A]>, arg: A) => {
    try {
      await handle.executeUpdate(update, { args: [arg] });
    } catch (error) {
      // The cycle moved on between reading and acting; the next look decides again.
      if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    }
  };
  /** A meeting a moment from now (a compressed check-in lasts milliseconds). */
  const meetingSoon = () => {
    const startsAt = Date.now() + 300;
    return { startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 30).toISOString() };
  };

  for (;;) {
    const v = await handle.query(defs.cycleViewQuery);
    if (v.academicYear > pair.academicYear) return;
    if (typeof away === 'number' && Date.now() >= away) {
      await act(defs.resumeCycleUpdate, { actor: mentee });
      away = 'done';
    }
    if (v.status === 'paused') {
      await new Promise((r) => setTimeout(r, 150));
      continue;
    }
    for (const step of v.steps.filter((s) => s.state === 'open')) {
      if (step.id === 'expectations') {
        if (script.expectations === 'ignored') {
          if (step.stalledSince !== null) await act(defs.resolveStepUpdate, { actor: coordinator, step: 'expectations' });
        } else if (step.phase !== 'shared') {
          await act(defs.shareExpectationsUpdate, {
            actor: mentor,
            expectationsId: randomUUID(),
            meetingCadenceDays: 14,
            meetingLocalTime: '10:00',
            meetingFormat: 'video',
          });
        } else {
          await act(defs.acknowledgeExpectationsUpdate, { actor: mentee });
        }
      } else if (step.kind === 'check-in') {
        const n = Number(step.id.slice('check-in-'.length));
        const play = script.checkIns[n - 1]!;
        if (play === 'ignored') continue;
        if (step.phase === 'awaiting-schedule' || step.phase === 'missed') {
          await act(defs.scheduleCheckInUpdate, { actor: mentee, checkIn: n, ...meetingSoon() });
        } else if (step.phase === 'awaiting-outcome') {
          const miss = play === 'missed-then-rescheduled' && !missedOnce.has(step.id);
          if (miss) missedOnce.add(step.id);
          await act(defs.recordCheckInOutcomeUpdate, { actor: mentee, checkIn: n, outcome: miss ? 'missed' : 'held' });
        }
      } else if (step.id === 'training-goals') {
        if (step.phase === 'awaiting-goals' && script.goals !== 'ignored') await act(defs.updateTrainingGoalsUpdate, { actor: mentee, goalsId: randomUUID() });
        else if (step.phase === 'awaiting-review' && script.goals === 'reviewed') await act(defs.reviewTrainingGoalsUpdate, { actor: mentor });
      } else if (step.id === 'feedback') {
        for (const actor of [mentor, mentee].filter((a) => script.feedbackBy.includes(a.role) && !step.submitted.includes(a.role))) {
          await act(defs.submitFeedbackUpdate, { actor, feedbackId: randomUUID() });
        }
      }
    }
    const expectationsDone = v.steps.find((s) => s.id === 'expectations')?.state === 'completed';
    if (away === 'not-yet' && expectationsDone) {
      await act(defs.pauseCycleUpdate, { actor: mentee, reason: 'leave' });
      away = Date.now() + script.awaySeconds! * 1000;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
