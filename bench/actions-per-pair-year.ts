/**
 * Cost per pair-year on a Temporal cluster: the billable actions and history events of one
 * full year, on the compressed policy (the default's proportions, a week a second), for a pair
 * that does everything it is asked (shares and agrees expectations, records every check-in as
 * held, updates and reviews training goals, both give feedback) and for one that does nothing
 * (every step climbs its whole ladder). Counted from each year's real history
 * (bench/support/billable-actions.ts) and priced at a published per-action rate.
 *
 * What is not in a history and so not counted: Queries (a participant page that reads the
 * live cycle sends one), and heartbeats beyond each mail-sending activity's first.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { parsePolicy } from '../src/domain/policy.ts';
import { importRoster } from '../src/enrollment/import-roster.ts';
import * as defs from '../src/workflows/definitions.ts';
import compressedPolicy from '../policy/compressed.json' with { type: 'json' };
import { benchRoster } from './enroll.ts';
import { countBillableActions, type ActionCount } from './support/billable-actions.ts';
import { startWorkerStack, type WorkerStack } from './support/worker-stack.ts';

export const ACTIONS_PER_PAIR_YEAR_GOAL = 200;
/**
 * Temporal Cloud's published list price for actions at its first volume tier, US$50 per
 * million (temporal.io pricing, as read on 2026-12-01; higher volumes cost less per action).
 * An input, not fetched: change it here when the price changes.
 */
export const PRICE_PER_MILLION_ACTIONS_USD = 50;
export const PRICE_AS_OF = '2026-12-01';

type Cycle = { workflow_id: string; id: string; mentor_id: string; mentee_id: string };

/** Acts as both participants until the year continues as new; returns the Updates it had rejected. */
async function doEverything(stack: WorkerStack, cycle: Cycle, handle: WorkflowHandle, firstRunId: string): Promise<number> {
  const mentor = { role: 'mentor' as const, personId: cycle.mentor_id };
  const mentee = { role: 'mentee' as const, personId: cycle.mentee_id };
  let rejected = 0;
  const send = async <A>(update: UpdateDefinition<defs.CycleView, [A]>, arg: A) => {
    try {
      await handle.executeUpdate(update, { args: [arg] });
    } catch (error) {
      if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      rejected++; // the cycle moved on between the look and the act; billed all the same
    }
  };
  const feedbackRow = async (actor: typeof mentor | typeof mentee) =>
    (
      await stack.database.db
        .insertInto('feedback')
        .values({ cycle_id: cycle.id, author_person_id: actor.personId, author_role: actor.role, content: JSON.stringify({ comment: 'bench' }) })
        .onConflict((oc) => oc.columns(['cycle_id', 'author_role']).doNothing())
        .returning('id')
        .executeTakeFirst()
    )?.id ?? 'already';
  const deadline = Date.now() + 10 * 60_000;
  while ((await handle.describe()).runId === firstRunId) {
    if (Date.now() > deadline) throw new Error('the compressed year did not end within 10 minutes');
    const view = await handle.query(defs.cycleViewQuery).catch(() => null);
    for (const step of view?.steps.filter((s) => s.state === 'open') ?? []) {
      if (step.id === 'expectations' && step.phase === 'shared') await send(defs.acknowledgeExpectationsUpdate, { actor: mentee });
      else if (step.id === 'expectations')
        await send(defs.shareExpectationsUpdate, {
          actor: mentor,
          expectationsId: 'bench-expectations',
          meetingCadenceDays: 14,
          meetingLocalTime: '10:00',
          meetingFormat: 'video',
        });
      else if (step.kind === 'check-in' && step.phase === 'awaiting-outcome')
        await send(defs.recordCheckInOutcomeUpdate, { actor: mentee, checkIn: Number(step.id.slice(-1)), outcome: 'held' });
      else if (step.id === 'training-goals' && step.phase === 'awaiting-goals')
        await send(defs.updateTrainingGoalsUpdate, { actor: mentee, goalsId: 'bench-goals' });
      else if (step.id === 'training-goals') await send(defs.reviewTrainingGoalsUpdate, { actor: mentor });
      else if (step.id === 'feedback')
        for (const actor of [mentor, mentee].filter((a) => !step.submitted.includes(a.role)))
          await send(defs.submitFeedbackUpdate, { actor, feedbackId: await feedbackRow(actor) });
    }
    await sleep(50);
  }
  return rejected;
}

async function yearEnded(handle: WorkflowHandle, firstRunId: string): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  while ((await handle.describe()).runId === firstRunId) {
    if (Date.now() > deadline) throw new Error('the compressed year did not end within 10 minutes');
    await sleep(1_000);
  }
}

export interface PairYear extends ActionCount {
  costUsd: number;
}

export async function runActionsPerPairYearBench(options: { log?: (line: string) => void } = {}) {
  const log = options.log ?? console.log;
  const stack = await startWorkerStack('actions', { policyFile: path.resolve(import.meta.dirname, '../policy/compressed.json') });
  try {
    const imported = await importRoster(
      { db: stack.database.db, temporal: stack.client, taskQueue: stack.taskQueue, policy: parsePolicy(compressedPolicy) },
      benchRoster(2, new Date().getUTCFullYear()),
    );
    if (!imported.ok || imported.summary.cycles?.started !== 2) throw new Error('could not enroll the two pairs');
    const cycles = await stack.database.db
      .selectFrom('cycles')
      .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
      .select(['cycles.id', 'cycles.workflow_id', 'pairs.mentor_id', 'pairs.mentee_id'])
      .orderBy('cycles.id')
      .execute();
    const [active, idle] = await Promise.all(
      cycles.map(async (c) => ({
        cycle: c,
        handle: stack.client.workflow.getHandle(c.workflow_id),
        runId: (await stack.client.workflow.getHandle(c.workflow_id).describe()).runId,
      })),
    );
    log('actionsPerPairYear: two pairs on the compressed policy (a week a second): one does everything, one does nothing');
    const [rejected] = await Promise.all([doEverything(stack, active!.cycle, active!.handle, active!.runId), yearEnded(idle!.handle, idle!.runId)]);
    const count = async (p: typeof active, rejectedUpdates: number): Promise<PairYear> => {
      const history = await stack.client.workflow.getHandle(p!.cycle.workflow_id, p!.runId).fetchHistory();
      const c = countBillableActions(history, rejectedUpdates);
      return { ...c, costUsd: (c.total * PRICE_PER_MILLION_ACTIONS_USD) / 1_000_000 };
    };
    const done = await count(active, rejected);
    const stalled = await count(idle, 0);
    const usd = (x: number) => `$${x.toFixed(5)}`;
    for (const [name, c] of [
      ['does everything', done],
      ['stalls everywhere', stalled],
    ] as const) {
      log(
        `actionsPerPairYear: a pair that ${name}: ${c.total} actions (${usd(c.costUsd)} at $${PRICE_PER_MILLION_ACTIONS_USD}/M, ${PRICE_AS_OF}), ${c.events} history events — ${JSON.stringify(c.byKind)}`,
      );
    }
    return {
      done,
      stalled,
      pricePerMillionUsd: PRICE_PER_MILLION_ACTIONS_USD,
      priceAsOf: PRICE_AS_OF,
      goal: ACTIONS_PER_PAIR_YEAR_GOAL,
      goalMet: done.total < ACTIONS_PER_PAIR_YEAR_GOAL && stalled.total < ACTIONS_PER_PAIR_YEAR_GOAL,
    };
  } finally {
    await stack.stop();
  }
}
