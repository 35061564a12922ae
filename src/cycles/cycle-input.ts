/**
 * The one builder of a year's cycle: its `cycles` row (pair, year, workflow id, start) and
 * its workflow input from that row. Enrollment, the fall rollover, a roster import and the
 * year's end all build years through here, so the rules (the id, `joinedAt`) have one home.
 */
import type { Policy } from '../domain/policy.ts';
import { CURRENT_BEHAVIOUR_SET, type MentoringCycleInput } from '../workflows/definitions.ts';
import type { NewCycleRow, StartableCycle } from '../stores/cycle-store.ts';
import { cycleWorkflowId } from './cycle-ids.ts';

/** A cycle ready to start: its workflow id and its input. */
export interface CycleToStart {
  workflowId: string;
  input: MentoringCycleInput;
}

/**
 * A pair's cycle row for a year. A first year gets the pair-and-year workflow id; the next
 * year opened by a running workflow keeps that workflow's id (it continues as new).
 */
export function newCycleRow(
  pairId: string,
  academicYear: number,
  startsAt: Date | string,
  workflowId: string = cycleWorkflowId(pairId, academicYear),
): NewCycleRow {
  return { pairId, academicYear, workflowId, enrolledAt: startsAt };
}

/**
 * The workflow input's `joinedAt`: the real enrollment instant, given only when the pair joined
 * after its plan's start (a pair enrolled on time, or ahead of a future start, runs exactly as before).
 */
export function joinedAtInput(cycle: { enrolledAt: Date; joinedAt: Date | null }): { joinedAt?: string } {
  return cycle.joinedAt && cycle.joinedAt > cycle.enrolledAt ? { joinedAt: cycle.joinedAt.toISOString() } : {};
}

/** A stored cycle as the workflow start it needs. */
export function cycleToStart(cycle: StartableCycle, policy: Policy): CycleToStart {
  return {
    workflowId: cycle.workflowId,
    input: {
      cycleId: cycle.cycleId,
      pairId: cycle.pairId,
      academicYear: cycle.academicYear,
      enrolledAt: cycle.enrolledAt.toISOString(),
      ...joinedAtInput(cycle),
      timeZone: cycle.timeZone,
      policy,
      behaviourSet: CURRENT_BEHAVIOUR_SET,
    },
  };
}
