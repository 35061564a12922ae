import { describe, expect, it } from 'vitest';
import { planCycle } from '../../src/domain/plan.ts';
import { advance, endYear, nextWakeAt } from '../../src/workflows/cycle-clock.ts';
import { initialState, type CycleState } from '../../src/workflows/cycle-state.ts';
import type { Effect } from '../../src/workflows/effects.ts';
import { testPolicy } from '../support/policy.ts';

const DAY = 86_400_000;

/** Runs the pure clock over a year where nobody acts, as the workflow's loop would. */
function idleYear(policy = testPolicy()): { state: CycleState; effects: (Effect & { at: number })[]; start: number } {
  const start = Date.UTC(2026, 8, 1, 13, 0);
  const state = initialState(planCycle(policy, start, 'America/New_York'));
  const effects: (Effect & { at: number })[] = [];
  let now = start;
  for (let guard = 0; guard < 10_000; guard++) {
    effects.push(...advance(policy, state, now, 'America/New_York').map((e) => ({ ...e, at: now })));
    if (now >= state.yearEndsAt) {
      effects.push(...endYear(state).map((e) => ({ ...e, at: now })));
      break;
    }
    now = Math.max(now + 1, nextWakeAt(policy, state, now)!);
  }
  return { state, effects, start };
}

describe('the cycle clock (pure)', () => {
  it('climbs each ladder once, in order, at due + 3, 7, 14 and 21 days — only while the year lasts', () => {
    const { effects, start } = idleYear();
    const rungs = effects.filter((e) => e.type === 'event' && e.kind === 'ladder-rung') as (Effect & { type: 'event'; at: number })[];
    const byStep = (id: string) => rungs.filter((r) => r.step === id).map((r) => [r.detail!.rung, Math.round((r.at - start) / DAY)]);
    expect(byStep('expectations')).toEqual([
      ['remind-owner', 24],
      ['remind-both', 28],
      ['notify-coordinator', 35],
      ['refer-resource', 42],
    ]);
    expect(byStep('training-goals')).toEqual([
      ['remind-owner', 276],
      ['remind-both', 280],
      ['notify-coordinator', 287],
      ['refer-resource', 294],
    ]);
    // Check-in 4 is due on day 350: its referral (day 371) would fall after the year's end.
    expect(byStep('check-in-4')).toEqual([
      ['remind-owner', 353],
      ['remind-both', 357],
      ['notify-coordinator', 364],
    ]);
  });
});
