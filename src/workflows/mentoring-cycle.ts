/**
 * One pair's mentoring year, as a durable workflow. Deterministic: the state machine
 * lives in pure modules (cycle-clock, cycle-actions), time comes from workflow timers,
 * I/O happens in activities, and only ids and states pass through here.
 *
 * Shape: a loop that applies what time has made due, performs the resulting effects in
 * one activity call, and sleeps until the next thing is due or an Update arrives. Update
 * handlers validate, change the state, and return once their effects are performed, so a
 * page that sends an Update and then reads the projection sees its own change.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { TandemActivities } from '../activities/index.ts';
import type { EffectBatch } from '../activities/effects.ts';
import { workflowPolicy } from '../domain/cycle-timing.ts';
import { planCycle } from '../domain/plan.ts';
import { STAGE_ATTRIBUTE, STALLED_ATTRIBUTE } from '../temporal/search-attributes.ts';
import { ACTIVITY_HEARTBEAT_TIMEOUT } from './activity-timeouts.ts';
import * as actions from './cycle-actions.ts';
import { advance, closeStep, endYear, nextWakeAt } from './cycle-clock.ts';
import { cycleView, initialState, snapshot, stepById, type CycleState } from './cycle-state.ts';
import * as defs from './definitions.ts';
import type { Effect } from './effects.ts';

const { applyEffects, produceEvaluationInput, prepareNextYear } = proxyActivities<TandemActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  // SMTP or Postgres outages are waited out: every effect is idempotent, so retrying is safe.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Rejects an Update with a reason the participant's page can show. */
function reject(reason: string | null): void {
  if (reason) throw new Error(reason);
}

export async function mentoringCycle(input: defs.MentoringCycleInput): Promise<defs.CycleView> {
  const policy = workflowPolicy(input.policy);
  const { timeZone } = input;
  const state: CycleState = initialState(planCycle(policy, Date.parse(input.enrolledAt), timeZone));
  const ids = { cycleId: input.cycleId, academicYear: input.academicYear };

  let pending: Effect[] = [];
  let queued = 0; // effects ever queued
  let performed = 0; // effects ever performed
  let eventSeq = 0;
  /** Set when the year's loop has ended: later Updates would wait forever for their effects. */
  let closing = false;

  const queue = (effects: Effect[]) => {
    pending.push(...effects);
    queued += effects.length;
  };
  /** Registers an Update: validate, apply, then wait until its effects are performed. */
  function handle<A>(def: Parameters<typeof setHandler>[0] & { name: string }, check: (arg: A) => string | null, apply: (arg: A) => Effect[]): void {
    setHandler(
      def as never,
      (async (arg: A) => {
        queue(apply(arg));
        const mine = queued;
        await condition(() => performed >= mine);
        return cycleView(policy, state, ids);
      }) as never,
      { validator: ((arg: A) => reject(check(arg) ?? (closing ? 'This year’s cycle has just closed; please act on the new one.' : null))) as never },
    );
  }

  const now = () => Date.now();
  // Open what is due before any handler exists: an Update delivered with the workflow's
  // first task (a fast click on the first email) must see the expectations step open.
  queue([{ type: 'event', step: null, kind: 'cycle-started', detail: { academicYear: input.academicYear, run: workflowInfo().runId } }]);
  queue(advance(policy, state, now(), timeZone));

  setHandler(defs.cycleViewQuery, () => cycleView(policy, state, ids));
  handle<defs.ShareExpectations>(defs.shareExpectationsUpdate, (u) => actions.checkShareExpectations(state, u), (u) => actions.applyShareExpectations(state, u, now()));
  handle<defs.RespondToExpectations>(defs.acknowledgeExpectationsUpdate, (u) => actions.checkRespondToExpectations(state, u, false), () => actions.applyAcknowledgeExpectations(state, now()));
  handle<defs.RespondToExpectations>(defs.questionExpectationsUpdate, (u) => actions.checkRespondToExpectations(state, u, true), (u) => actions.applyQuestionExpectations(state, u));
  handle<defs.ScheduleCheckIn>(defs.scheduleCheckInUpdate, (u) => actions.checkScheduleCheckIn(policy, state, u, now()), (u) => actions.applyScheduleCheckIn(state, u));
  handle<defs.CheckInRef>(defs.cancelCheckInUpdate, (u) => actions.checkCancelCheckIn(state, u), (u) => actions.applyCancelCheckIn(state, u));
  handle<defs.CheckInOutcome>(defs.recordCheckInOutcomeUpdate, (u) => actions.checkRecordOutcome(state, u, now()), (u) => actions.applyRecordOutcome(state, u));
  handle<defs.TrainingGoalsUpdated>(defs.updateTrainingGoalsUpdate, (u) => actions.checkUpdateGoals(state, u), (u) => actions.applyUpdateGoals(state, u));
  handle<{ actor: defs.Participant }>(defs.reviewTrainingGoalsUpdate, (u) => actions.checkReviewGoals(state, u.actor), () => actions.applyReviewGoals(state));
  handle<defs.FeedbackSubmitted>(defs.submitFeedbackUpdate, (u) => actions.checkSubmitFeedback(state, u), (u) => actions.applySubmitFeedback(state, u));
  handle<defs.PauseCycle>(defs.pauseCycleUpdate, (u) => actions.checkPause(state, u, now()), (u) => actions.applyPause(state, u, now()));
  handle<{ actor: defs.Participant | defs.Coordinator }>(defs.resumeCycleUpdate, () => actions.checkResume(state), (u) => actions.applyResume(state, now(), u.actor.role));
  handle<{ actor: defs.Participant | defs.Coordinator; personId: string }>(
    defs.profileChangedUpdate,
    () => (state.ended ? 'This mentoring pair has ended.' : null),
    (u) => [{ type: 'event', step: null, kind: 'profile-changed', detail: { personId: u.personId } }],
  );
  handle<defs.EndPair>(defs.endPairUpdate, (u) => actions.checkEndPair(state, u), (u) => actions.applyEndPair(state, u));
  handle<defs.StepRef>(defs.nudgeUpdate, (u) => actions.checkNudge(state, u), (u) => actions.applyNudge(state, u));
  handle<defs.SnoozeEscalation>(defs.snoozeEscalationUpdate, (u) => actions.checkSnooze(state, u, now()), (u) => actions.applySnooze(state, u));
  handle<defs.StepRef>(defs.resolveStepUpdate, (u) => actions.checkResolve(state, u), (u) => actions.applyResolve(state, u));

  let lastStage = '';
  let lastStalled = false;
  /** Performs every queued effect in one activity call, with the projection of the resulting state. */
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
        events: batch.flatMap((e) => (e.type === 'event' ? [{ eventKey: `${++eventSeq}-${e.kind}`, occurredAt: at, step: e.step, kind: e.kind, detail: e.detail }] : [])),
        notifications: batch.flatMap((e) =>
          e.type === 'notify' ? [{ cycleId: input.cycleId, step: e.step, kind: e.kind, sequence: e.sequence, audience: e.audience, facts: e.facts }] : [],
        ),
        invites: batch.flatMap((e) =>
          e.type === 'invite'
            ? [{ cycleId: input.cycleId, step: e.step, method: e.method, startsAt: new Date(e.startsAt).toISOString(), endsAt: new Date(e.endsAt).toISOString(), revision: e.revision }]
            : [],
        ),
      };
      await applyEffects(effectBatch);
      performed = upTo;
      if (evaluate) {
        const outcome = await produceEvaluationInput({ cycleId: input.cycleId, pairId: input.pairId, academicYear: input.academicYear });
        queue([
          ...closeStep(stepById(state, 'evaluation')!, 'completed', outcome.released ? 'released' : 'withheld'),
          { type: 'notify', step: 'evaluation', kind: 'evaluation-input-ready', audience: ['coordinators'], sequence: 0, facts: { released: outcome.released ? 'yes' : 'no' } },
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
    if (state.paused?.until != null && now() >= state.paused.until) queue(actions.applyResume(state, now(), 'schedule'));
    queue(advance(policy, state, now(), timeZone));
    await flush();
    if (state.ended) break;
    if (!state.paused && now() >= state.yearEndsAt) {
      queue(endYear(state));
      await flush();
      break;
    }
    const wake = nextWakeAt(policy, state, now());
    await condition(() => pending.length > 0, wake === null ? undefined : Math.max(1, wake - now()));
  }
  closing = true;
  await condition(allHandlersFinished);
  const view = cycleView(policy, state, ids);
  if (state.ended) return view;

  const next = await prepareNextYear({ cycleId: input.cycleId, pairId: input.pairId, academicYear: input.academicYear, startsAt: new Date(state.yearEndsAt).toISOString() });
  if (!next) return view;
  return continueAsNew<typeof mentoringCycle>({ ...input, ...next });
}
