/**
 * The Temporal Schedule that runs the fall rollover each year on the policy's
 * academicYearStart (midnight UTC, the same calendar academicYearOf uses). Created or brought
 * up to date by `tandem setup-temporal`; running it again changes nothing.
 */
import { MONTHS, ScheduleAlreadyRunning, type Client, type ScheduleOptionsStartWorkflowAction, type ScheduleSpec } from '@temporalio/client';
import type { Policy } from '../domain/policy.ts';
import { academicYearStartMonthDay } from '../domain/academic-year.ts';
import type { fallRollover } from '../workflows/fall-rollover.ts';

export function rolloverScheduleId(policy: Pick<Policy, 'department'>): string {
  return `tandem-fall-rollover-${policy.department.id}`;
}

export function rolloverScheduleSpec(policy: Pick<Policy, 'academicYearStart'>): ScheduleSpec {
  const { month, day } = academicYearStartMonthDay(policy);
  return { calendars: [{ month: MONTHS[month - 1]!, dayOfMonth: day, hour: 0, minute: 0, comment: 'academic year starts' }], timezone: 'UTC' };
}

/** Returns whether the schedule was created (true) or updated in place (false). */
export async function ensureRolloverSchedule(client: Client, options: { policy: Policy; taskQueue: string }): Promise<boolean> {
  const scheduleId = rolloverScheduleId(options.policy);
  const spec = rolloverScheduleSpec(options.policy);
  const action: ScheduleOptionsStartWorkflowAction<typeof fallRollover> = {
    type: 'startWorkflow',
    workflowType: 'fallRollover',
    workflowId: `fall-rollover-${options.policy.department.id}`,
    taskQueue: options.taskQueue,
    args: [{}],
  };
  // A missed start (server down that day) still runs within a week; two never overlap.
  const policies = { overlap: 'SKIP' as const, catchupWindow: '7 days' };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
    return true;
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  return false;
}
