/** The check-in windows' opening jitter (cycle-clock.ts): fixed per cycle, bounded by the policy, off at 0. */
import { describe, expect, it } from 'vitest';
import { planCycle } from '../../src/domain/plan.ts';
import { CHECK_IN_WINDOW_JITTER_HOURS } from '../../src/domain/policy.ts';
import { jitterCheckInWindows, windowJitterMs } from '../../src/workflows/cycle-clock.ts';
import { initialState } from '../../src/workflows/cycle-state.ts';
import { testPolicy } from '../support/policy.ts';

const HOUR = 3_600_000;
const ids = Array.from({ length: 500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

describe('check-in window jitter', () => {
  it('is the same for the same cycle every time, and differs between cycles', () => {
    const policy = testPolicy();
    expect(ids.map((id) => windowJitterMs(policy, id))).toEqual(ids.map((id) => windowJitterMs(policy, id)));
    expect(new Set(ids.map((id) => windowJitterMs(policy, id))).size).toBeGreaterThan(450);
  });

  it('stays within the policy setting (default CHECK_IN_WINDOW_JITTER_HOURS), spread across it, and shrinks with time compression', () => {
    const jitters = ids.map((id) => windowJitterMs(testPolicy(), id));
    expect(Math.min(...jitters)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...jitters)).toBeLessThanOrEqual(CHECK_IN_WINDOW_JITTER_HOURS * HOUR);
    expect(Math.max(...jitters)).toBeGreaterThan(0.9 * CHECK_IN_WINDOW_JITTER_HOURS * HOUR);
    const oneHour = testPolicy({ checkInWindowJitterHours: 1 });
    expect(Math.max(...ids.map((id) => windowJitterMs(oneHour, id)))).toBeLessThanOrEqual(HOUR);
    const compressed = testPolicy({ checkInWindowJitterHours: 1, timeCompression: 3600 });
    expect(Math.max(...ids.map((id) => windowJitterMs(compressed, id)))).toBeLessThanOrEqual(1000);
  });

  it('is zero when the setting is 0', () => {
    const policy = testPolicy({ checkInWindowJitterHours: 0 });
    expect(ids.map((id) => windowJitterMs(policy, id)).every((j) => j === 0)).toBe(true);
  });

  it.each([true, false])('moves only planned check-in windows (and, with trainingGoals %s, the re-visit), never their due dates', (trainingGoals) => {
    const policy = testPolicy();
    const state = initialState(planCycle(policy, Date.UTC(2026, 8, 1, 13, 0), 'UTC'));
    const before = structuredClone(state.steps);
    jitterCheckInWindows(policy, state, ids[7]!, { trainingGoals });
    const jitter = windowJitterMs(policy, ids[7]!);
    expect(jitter).toBeGreaterThan(0);
    const moved = (kind: string) => kind === 'check-in' || (trainingGoals && kind === 'training-goals');
    state.steps.forEach((step, i) => {
      expect(step.dueAt).toBe(before[i]!.dueAt);
      expect(step.opensAt).toBe(moved(step.kind) ? Math.min(before[i]!.opensAt + jitter, step.dueAt) : before[i]!.opensAt);
    });
  });

  it('opens the re-visit at the same instant as the check-in it goes with', () => {
    const policy = testPolicy();
    const state = initialState(planCycle(policy, Date.UTC(2026, 8, 1, 13, 0), 'UTC'));
    jitterCheckInWindows(policy, state, ids[7]!, { trainingGoals: true });
    const at = (id: string) => state.steps.find((s) => s.id === id)!.opensAt;
    expect(at('training-goals')).toBe(at(`check-in-${policy.stages.trainingGoalsWithCheckIn}`));
  });
});
