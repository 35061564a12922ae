/**
 * One pair's mentoring year. Deterministic: all I/O happens in activities, all time comes
 * from workflow timers, and only ids and states pass through here.
 */
import { condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { TandemActivities } from '../activities/index.ts';
import type { CycleSnapshot } from '../activities/types.ts';
import { policyDaysToMs } from '../domain/policy.ts';
import { STAGE_ATTRIBUTE, STALLED_ATTRIBUTE } from '../temporal/search-attributes.ts';
import { type MentoringCycleInput, shareExpectationsUpdate, cycleViewQuery } from './definitions.ts';

type CycleStatusView = { cycleId: string; status: 'running' | 'stalled' | 'completed'; currentStep: string };

const { recordTransition, sendNotification } = proxyActivities<TandemActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function mentoringCycle(input: MentoringCycleInput): Promise<CycleStatusView> {
  const step = 'expectations';
  const enrolledAtMs = Date.parse(input.enrolledAt);
  const dueAt = new Date(enrolledAtMs + policyDaysToMs(input.policy, input.policy.stages.expectations.dueAtDay));
  let view: CycleStatusView = { cycleId: input.cycleId, status: 'running', currentStep: step };
  let shared = false;

  setHandler(cycleViewQuery, () => view as never);
  setHandler(
    shareExpectationsUpdate,
    () => {
      shared = true;
      return view as never;
    },
    {
      validator: (update) => {
        if (shared) throw new Error('Expectations have already been shared for this year.');
        if (!Number.isFinite(update.meetingCadenceDays) || update.meetingCadenceDays < 1) {
          throw new Error('meetingCadenceDays must be a number of days, 1 or more.');
        }
      },
    },
  );

  const snapshot = (status: CycleSnapshot['status']): CycleSnapshot => ({
    status,
    currentStep: step,
    dueAt: dueAt.toISOString(),
    owedBy: 'mentor',
    stalledSince: status === 'stalled' ? new Date().toISOString() : null,
    ladderRung: null,
  });

  upsertSearchAttributes([
    { key: STAGE_ATTRIBUTE, value: step },
    { key: STALLED_ATTRIBUTE, value: false },
  ]);
  await recordTransition({
    cycleId: input.cycleId,
    eventKey: `${workflowInfo().runId}/${step}/opened`,
    occurredAt: new Date().toISOString(),
    step,
    kind: 'step-opened',
    snapshot: snapshot('running'),
  });
  await sendNotification({ cycleId: input.cycleId, step, kind: 'expectations-requested', sequence: 0, audience: ['mentor', 'mentee'] });

  const inTime = await condition(() => shared, dueAt.getTime() - Date.now());
  view = { ...view, status: inTime ? 'completed' : 'stalled' };
  upsertSearchAttributes([{ key: STALLED_ATTRIBUTE, value: !inTime }]);
  await recordTransition({
    cycleId: input.cycleId,
    eventKey: `${workflowInfo().runId}/${step}/${inTime ? 'completed' : 'stalled'}`,
    occurredAt: new Date().toISOString(),
    step,
    kind: inTime ? 'step-completed' : 'step-stalled',
    snapshot: snapshot(view.status),
  });
  return view;
}
