/** Which escalation ladder a step climbs: its kind's own ladder when the policy has one. */
import type { Policy } from '../../domain/policy.ts';

export function ladderFor(policy: Pick<Policy, 'ladder' | 'ladderByStep'>, step: string | null): Policy['ladder'] {
  const kind = step?.startsWith('check-in-') ? 'check-in' : step;
  return (kind && policy.ladderByStep[kind as keyof Policy['ladderByStep']]) || policy.ladder;
}
