/**
 * The cycle's starting state, for a pair enrolled on time or late. Its own file so the
 * workflow's body stays about orchestration; the rules themselves are pure (plan.ts joinLate,
 * cycle-state.ts initialState).
 */
import { joinLate, planCycle } from '../domain/plan.ts';
import { initialState, type CycleState } from './cycle-state.ts';
import type { Policy } from '../domain/policy.ts';
import type { MentoringCycleInput } from './definitions.ts';

/**
 * `input.policy` as the workflow reads it (workflowPolicy): timing, with the directory parts empty.
 * `plansLateJoin`: this run plans for a late join (runBehaviours: runs recorded before the rule, and
 * pairs on time, plan the whole year).
 */
export function initialJoinedState(input: MentoringCycleInput & { policy: Policy }, plansLateJoin: boolean): CycleState {
  const { policy, timeZone } = input;
  const plan = planCycle(policy, Date.parse(input.enrolledAt), timeZone);
  if (input.joinedAt === undefined || !plansLateJoin) return initialState(plan);
  // A later year (continue-as-new carries joinedAt along) starts after it: joinLate changes nothing then.
  const joinedAt = Date.parse(input.joinedAt);
  return initialState(joinLate(policy, plan, joinedAt, timeZone), { policy, joinedAt });
}
