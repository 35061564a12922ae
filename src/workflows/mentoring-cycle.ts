/**
 * One pair's mentoring year, as a durable workflow. Deterministic: the state machine
 * lives in pure modules (cycle-clock, cycle-actions), time comes from workflow timers,
 * I/O happens in activities, and only ids and states pass through here.
 *
 * Shape: a loop that applies what time has made due, writes the resulting projection in
 * one (local) activity call, hands the mail and invites to a delivery activity that runs behind
 * it, and sleeps until the next thing is due or an Update arrives. Update handlers
 * validate, change the state, and return once the projection is written, so a page that
 * sends an Update and then reads the projection sees its own change — without waiting for
 * a rate-limited relay. Delivery keeps its order and its exactly-once outbox.
 *
 * A pass no Update waits on (a window opening, a reminder, the first task after enrollment)
 * sends its mail in the projection's own local activity when no earlier delivery is under
 * way: the transition is then one workflow task, with no delivery activity and no task for
 * its completion. What that call cannot send within its budget goes to the delivery activity.
 *
 * Workflows started before that split (no `deliver-after-projection` marker) keep
 * performing everything in one `applyEffects` call, so their histories replay.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { TandemActivities } from '../activities/index.ts';
import type { DeliveryBatch, EffectBatch } from '../activities/effects.ts';
import { workflowPolicy } from '../domain/cycle-timing.ts';
import { initialJoinedState } from './join-late.ts';
import { runBehaviours } from './run-behaviours.ts';
import { STAGE_ATTRIBUTE, STALLED_ATTRIBUTE } from '../temporal/search-attributes.ts';
import { ACTIVITY_HEARTBEAT_TIMEOUT } from './activity-timeouts.ts';
import * as actions from './cycle-actions.ts';
import { advance, closeStep, endYear, jitterCheckInWindows, nextWakeAt } from './cycle-clock.ts';
import { beforeEnrollmentEvents, cycleView, snapshot, stepById, type CycleState } from './cycle-state.ts';
import * as defs from './definitions.ts';
import type { Effect } from './effects.ts';

// SMTP or Postgres outages are waited out: every effect is idempotent, so retrying is safe.
const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } as const;
const { applyEffects, deliverEffects, produceEvaluationInput, prepareNextYear } = proxyActivities<TandemActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: RETRY,
});
// The projection an Update waits for runs as a local activity, in the worker that runs the
// workflow: a backlog of deliveries on the task queue (mail waiting on a slow relay holds
// activity slots) can then never stand between a page and its answer.
// A pass no Update waits on sends its own mail there too (within a budget, the rest handed to
// deliverEffects): one workflow task for the whole transition instead of two.
const { projectEffects, projectAndDeliverEffects } = proxyLocalActivities<TandemActivities>({ startToCloseTimeout: '1 minute', retry: RETRY });

/** Rejects an Update with a reason the participant's page can show. */
function reject(reason: string | null): void {
  if (reason) throw new Error(reason);
}

export async function mentoringCycle(input: defs.MentoringCycleInput): Promise<defs.CycleView> {
  const policy = workflowPolicy(input.policy);
  const { timeZone } = input;
  // Asked once, before anything else, so a run makes one choice for its whole life.
  const behaviours = runBehaviours({ joinedLate: input.joinedAt !== undefined, behaviourSet: input.behaviourSet });
  const state: CycleState = initialJoinedState({ ...input, policy }, behaviours.joinLate);
  const ids = { cycleId: input.cycleId, academicYear: input.academicYear };
  const deliverBehind = behaviours.deliverAfterProjection;
  const catchUpAtYearEnd = behaviours.yearEndCatchUp;
  // Runs recorded before the jitter open their windows as planned, and those recorded before
  // the re-visit moved with its check-in open the re-visit as planned.
  if (behaviours.windowJitter) jitterCheckInWindows(policy, state, input.cycleId, { trainingGoals: behaviours.windowJitterTrainingGoals });

  let pending: Effect[] = [];
  let queued = 0; // effects ever queued
  let performed = 0; // effects ever performed
  let eventSeq = 0;
  /** Update handlers waiting for their effects: while one waits, a pass only projects, so its page never waits on mail. */
  let updatesWaiting = 0;
  /** Set when the year's loop has ended: later Updates would wait forever for their effects. */
  let closing = false;

  const queue = (effects: Effect[]) => {
    pending.push(...effects);
    queued += effects.length;
  };
  /** Registers an Update: validate, apply, then wait until its effects are performed. Typed by the definition: a handler of another argument does not compile. */
  function handle<A>(def: UpdateDefinition<defs.CycleView, [A], string>, check: (arg: A) => string | null, apply: (arg: A) => Effect[]): void {
    setHandler(
      def,
      async (arg: A) => {
        queue(apply(arg));
        const mine = queued;
        updatesWaiting++;
        try {
          await condition(() => performed >= mine);
        } finally {
          updatesWaiting--;
        }
        return cycleView(policy, state, ids);
      },
      { validator: (arg: A) => reject(check(arg) ?? (closing ? 'This year’s cycle has just closed; please act on the new one.' : null)) },
    );
  }

  const now = () => Date.now();
  const resume = (by: string): Effect[] => [...actions.applyResume(state, now(), by), ...actions.reproposeAfterPause(policy, state, now(), timeZone)];
  // Open what is due before any handler exists: an Update delivered with the workflow's
  // first task (a fast click on the first email) must see the expectations step open.
  queue([{ type: 'event', step: null, kind: 'cycle-started', detail: { academicYear: input.academicYear, run: workflowInfo().runId } }]);
  queue(beforeEnrollmentEvents(state));
  queue(advance(policy, state, now(), timeZone));

  setHandler(defs.cycleViewQuery, () => cycleView(policy, state, ids));
  handle(
    defs.shareExpectationsUpdate,
    (u) => actions.checkShareExpectations(state, u),
    (u) => actions.applyShareExpectations(state, u, now()),
  );
  handle(
    defs.acknowledgeExpectationsUpdate,
    (u) => actions.checkRespondToExpectations(state, u, false),
    () => actions.applyAcknowledgeExpectations(state, now()),
  );
  handle(
    defs.questionExpectationsUpdate,
    (u) => actions.checkRespondToExpectations(state, u, true),
    (u) => actions.applyQuestionExpectations(state, u),
  );
  handle(
    defs.scheduleCheckInUpdate,
    (u) => actions.checkScheduleCheckIn(policy, state, u, now(), timeZone),
    (u) => actions.applyScheduleCheckIn(state, u),
  );
  handle(
    defs.cancelCheckInUpdate,
    (u) => actions.checkCancelCheckIn(state, u),
    (u) => actions.applyCancelCheckIn(state, u),
  );
  handle(
    defs.recordCheckInOutcomeUpdate,
    (u) => actions.checkRecordOutcome(state, u, now()),
    (u) => actions.applyRecordOutcome(state, u),
  );
  handle(
    defs.updateTrainingGoalsUpdate,
    (u) => actions.checkUpdateGoals(state, u),
    (u) => actions.applyUpdateGoals(state, u),
  );
  handle(
    defs.reviewTrainingGoalsUpdate,
    (u) => actions.checkReviewGoals(state, u.actor),
    () => actions.applyReviewGoals(state),
  );
  handle(
    defs.submitFeedbackUpdate,
    (u) => actions.checkSubmitFeedback(state, u),
    (u) => actions.applySubmitFeedback(state, u),
  );
  handle(
    defs.pauseCycleUpdate,
    (u) => actions.checkPause(state, u, now()),
    (u) => actions.applyPause(state, u, now()),
  );
  handle(
    defs.resumeCycleUpdate,
    () => actions.checkResume(state),
    (u) => resume(u.actor.role),
  );
  handle(
    defs.profileChangedUpdate,
    () => (state.ended ? 'This mentoring pair has ended.' : null),
    (u) => [{ type: 'event', step: null, kind: 'profile-changed', detail: { personId: u.personId } }],
  );
  handle(
    defs.endPairUpdate,
    (u) => actions.checkEndPair(state, u),
    (u) => actions.applyEndPair(state, u),
  );
  handle(
    defs.nudgeUpdate,
    (u) => actions.checkNudge(state, u),
    (u) => actions.applyNudge(state, u),
  );
  handle(
    defs.snoozeEscalationUpdate,
    (u) => actions.checkSnooze(state, u, now()),
    (u) => actions.applySnooze(state, u),
  );
  handle(
    defs.resolveStepUpdate,
    (u) => actions.checkResolve(state, u),
    (u) => actions.applyResolve(state, u),
  );

  // Mail and invites, in the order their transitions happened, one activity call at a time;
  // what queues up while one call runs goes out together in the next.
  const deliveries: DeliveryBatch[] = [];
  let delivering: Promise<void> | null = null;
  function deliverLater(batch: DeliveryBatch): void {
    if (batch.invites.length === 0 && batch.notifications.length === 0) return;
    deliveries.push(batch);
    delivering ??= (async () => {
      while (deliveries.length > 0) {
        const next = deliveries.splice(0);
        const accepted = next.flatMap((d) => d.acceptedOutboxIds ?? []);
        await deliverEffects({
          cycleId: input.cycleId,
          invites: next.flatMap((d) => d.invites),
          notifications: next.flatMap((d) => d.notifications),
          ...(accepted.length > 0 ? { acceptedOutboxIds: accepted } : {}),
        });
      }
      delivering = null;
    })();
  }

  // What the run started with (runs started before the starter gave them: nothing), so an agreeing first state upserts nothing.
  let lastStage = workflowInfo().typedSearchAttributes.get(STAGE_ATTRIBUTE) ?? '';
  let lastStalled = workflowInfo().typedSearchAttributes.get(STALLED_ATTRIBUTE) ?? false;
  /** Projects every queued effect with the resulting state (one call), then hands its mail and invites to delivery. */
  async function flush(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending;
      const upTo = queued;
      pending = [];
      const evaluate = batch.some((e) => e.type === 'evaluate');
      const snap = snapshot(policy, state);
      const at = new Date(now()).toISOString();
      const effectBatch: EffectBatch = {
        cycleId: input.cycleId,
        snapshot: snap,
        events: batch.flatMap((e) =>
          e.type === 'event' ? [{ eventKey: `${++eventSeq}-${e.kind}`, occurredAt: at, step: e.step, kind: e.kind, detail: e.detail }] : [],
        ),
        notifications: batch.flatMap((e) =>
          e.type === 'notify' ? [{ cycleId: input.cycleId, step: e.step, kind: e.kind, sequence: e.sequence, audience: e.audience, facts: e.facts }] : [],
        ),
        invites: batch.flatMap((e) =>
          e.type === 'invite'
            ? [
                {
                  cycleId: input.cycleId,
                  step: e.step,
                  method: e.method,
                  startsAt: new Date(e.startsAt).toISOString(),
                  endsAt: new Date(e.endsAt).toISOString(),
                  revision: e.revision,
                  ...(e.withdrawnBecause ? { withdrawnBecause: e.withdrawnBecause } : {}),
                },
              ]
            : [],
        ),
      };
      const mail: DeliveryBatch = { cycleId: input.cycleId, invites: effectBatch.invites, notifications: effectBatch.notifications };
      if (behaviours.deliverInPass && updatesWaiting === 0 && delivering === null) {
        // Nothing earlier is still being delivered, so sending here keeps the order.
        const handOver = await projectAndDeliverEffects(effectBatch);
        performed = upTo;
        if (handOver) deliverLater({ ...mail, ...handOver });
      } else if (deliverBehind) {
        await projectEffects(effectBatch);
        performed = upTo;
        deliverLater(mail);
      } else {
        await applyEffects(effectBatch);
        performed = upTo;
      }
      if (evaluate) {
        const outcome = await produceEvaluationInput({ cycleId: input.cycleId, pairId: input.pairId, academicYear: input.academicYear });
        queue([
          ...closeStep(stepById(state, 'evaluation')!, 'completed', outcome.released ? 'released' : 'withheld'),
          {
            type: 'notify',
            step: 'evaluation',
            kind: 'evaluation-input-ready',
            audience: ['coordinators'],
            sequence: 0,
            facts: { released: outcome.released ? 'yes' : 'no' },
          },
        ]);
      }
      // Operators filter by stage and stalled in the Temporal UI; states only, nothing personal.
      const stage = snap.currentStep ?? snap.status;
      const stalled = snap.status === 'stalled';
      if (stage !== lastStage || stalled !== lastStalled) {
        upsertSearchAttributes([
          { key: STAGE_ATTRIBUTE, value: stage },
          { key: STALLED_ATTRIBUTE, value: stalled },
        ]);
        lastStage = stage;
        lastStalled = stalled;
      }
    }
  }

  for (;;) {
    // One instant per pass: the year ends only after a pass that ran at or past its end, so
    // whatever fell due before it (feedback released, evaluation produced) is applied first,
    // however long the previous pass's activities took.
    const at = now();
    if (state.paused?.until != null && at >= state.paused.until) queue(resume('schedule'));
    queue(advance(policy, state, at, timeZone));
    await flush();
    if (state.ended) break;
    // (Runs from before this rule re-read the clock after the pass, as they did then.)
    if (!state.paused && (catchUpAtYearEnd ? at : now()) >= state.yearEndsAt) {
      queue(endYear(state, now()));
      await flush();
      break;
    }
    const wake = nextWakeAt(policy, state, now());
    await condition(() => pending.length > 0, wake === null ? undefined : Math.max(1, wake - now()));
  }
  closing = true;
  await condition(allHandlersFinished);
  while (delivering) await delivering;
  const view = cycleView(policy, state, ids);
  if (state.ended) return view;

  const next = await prepareNextYear({
    cycleId: input.cycleId,
    pairId: input.pairId,
    academicYear: input.academicYear,
    startsAt: new Date(state.yearEndsAt).toISOString(),
  });
  if (!next) return view;
  // The next year is a new run: it takes the behaviours of the code deployed now.
  return continueAsNew<typeof mentoringCycle>({ ...input, ...next, behaviourSet: defs.CURRENT_BEHAVIOUR_SET });
}
