/** Side effects the cycle's pure logic asks for; the workflow performs them through activities. */
import type { Audience, MessageKind, WithdrawReason } from '../activities/types.ts';

export type Effect =
  | { type: 'notify'; step: string; kind: MessageKind; audience: Audience[]; sequence: number; facts?: Record<string, string | number | null> }
  | { type: 'invite'; step: string; method: 'REQUEST' | 'CANCEL'; startsAt: number; endsAt: number; revision: number; withdrawnBecause?: WithdrawReason }
  | { type: 'event'; step: string | null; kind: string; detail?: Record<string, string | number | boolean | null> }
  | { type: 'evaluate' };

export function audienceFor(owed: 'mentor' | 'mentee' | 'both' | null): Audience[] {
  if (owed === 'mentor') return ['mentor'];
  if (owed === 'mentee') return ['mentee'];
  return ['mentor', 'mentee'];
}
