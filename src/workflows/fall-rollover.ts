/**
 * Opens an academic year (started by a Temporal Schedule on the policy's academicYearStart):
 * carries active pairs into the year — starting a cycle only for pairs with no running
 * workflow, since a running cycle continues as new by itself — then tells the coordinators
 * that enrollment is open. Counts only; no names pass through here.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { TandemActivities } from '../activities/index.ts';
import { ACTIVITY_HEARTBEAT_TIMEOUT } from './activity-timeouts.ts';

export interface FallRolloverInput {
  /** Defaults to the academic year of the moment the workflow runs. */
  academicYear?: number;
  /** Where the new cycles run; defaults to this workflow's own task queue. */
  cycleTaskQueue?: string;
}

export interface FallRolloverResult {
  academicYear: number;
  activePairs: number;
  continuing: number;
  started: number;
  alreadyRunning: number;
  coordinatorsNotified: number;
}

const { currentAcademicYear, notifyEnrollmentOpen } = proxyActivities<TandemActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Thousands of pairs: a long activity that heartbeats, so a lost worker is noticed in seconds.
const { carryPairsIntoYear } = proxyActivities<TandemActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function fallRollover(input: FallRolloverInput = {}): Promise<FallRolloverResult> {
  const academicYear = input.academicYear ?? (await currentAcademicYear());
  const counts = await carryPairsIntoYear({ academicYear, taskQueue: input.cycleTaskQueue ?? workflowInfo().taskQueue });
  const notified = await notifyEnrollmentOpen({ academicYear, continuing: counts.continuing, started: counts.started });
  return {
    academicYear,
    activePairs: counts.activePairs,
    continuing: counts.continuing,
    started: counts.started,
    alreadyRunning: counts.alreadyRunning,
    coordinatorsNotified: notified.sent,
  };
}
