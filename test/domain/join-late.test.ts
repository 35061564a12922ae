/** Joining the year late, as pure rules: the plan and the starting state of a pair enrolled after its start date. */
import { describe, expect, it } from 'vitest';
import { joinLate, planCycle } from '../../src/domain/plan.ts';
import { advance } from '../../src/workflows/cycle-clock.ts';
import { addCycleFacts, emptyFacts } from '../../src/evaluation/participation-facts.ts';
import { beforeEnrollmentEvents, initialState } from '../../src/workflows/cycle-state.ts';
import { testPolicy } from '../support/policy.ts';

const NY = 'America/New_York';
const DAY = 86_400_000;

describe('joining the year late', () => {
  const policy = testPolicy();
  const start = Date.UTC(2026, 8, 1, 13, 0); // 1 September
  const plan = planCycle(policy, start, NY);
  const joined = start + 91 * DAY + 5 * DAY; // 1 December: day 96
  const late = joinLate(policy, plan, joined, NY);
  const step = (id: string) => late.steps.find((s) => s.id === id)!;

  it('opens expectations at enrollment with the policy’s own 21-day window when theirs has passed', () => {
    expect(step('expectations').opensAt).toBe(joined);
    expect(step('expectations').dueAt - joined).toBe(21 * DAY);
    expect(step('expectations').beforeEnrollment).toBeUndefined();
  });

  it('marks the windows that closed before enrollment and keeps the current and later ones as planned', () => {
    expect(step('check-in-1').beforeEnrollment).toBe(true);
    expect(step('check-in-2')).toEqual(plan.steps.find((s) => s.id === 'check-in-2'));
    expect(late.steps.filter((s) => s.beforeEnrollment).map((s) => s.id)).toEqual(['check-in-1']);
  });

  it('changes nothing for a pair enrolled on or before its start date', () => {
    expect(joinLate(policy, plan, start, NY)).toEqual(plan);
    expect(joinLate(policy, plan, start - 30 * DAY, NY)).toEqual(plan);
  });

  it('sends at enrollment only the expectations request and the current window: no reminder, rung or notice for an earlier deadline', () => {
    const state = initialState(late, { policy, joinedAt: joined });
    const effects = advance(policy, state, joined, NY);
    const notes = effects.flatMap((e) => (e.type === 'notify' ? [`${e.step}:${e.kind}`] : []));
    expect(notes).toEqual(['expectations:expectations-requested', 'check-in-2:check-in-window-open']);
    expect(state.steps.find((s) => s.id === 'check-in-1')).toMatchObject({ state: 'closed', phase: 'before-enrollment', rungsFired: 0 });
    // A day later still nothing: check-in 2 is due on day 182, its first reminder on day 175.
    expect(advance(policy, state, joined + DAY, NY)).toEqual([]);
  });

  it('counts reminders whose time passed before enrollment as sent, so none is caught up at once', () => {
    // Joined 3 days before check-in 2 is due: the 7-day reminder is past, the 1-day one is not.
    const nearDue = plan.steps.find((s) => s.id === 'check-in-2')!.dueAt - 3 * DAY;
    const state = initialState(joinLate(policy, plan, nearDue, NY), { policy, joinedAt: nearDue });
    const notes = advance(policy, state, nearDue, NY).flatMap((e) => (e.type === 'notify' ? [e.kind] : []));
    expect(notes).toEqual(['expectations-requested', 'check-in-window-open']);
    const dayBefore = advance(policy, state, nearDue + 2 * DAY, NY).flatMap((e) => (e.type === 'notify' ? [`${e.step}:${e.kind}`] : []));
    expect(dayBefore).toEqual(['check-in-2:reminder-before-due']);
  });

  it('records the windows before enrollment on the timeline, and they count against no one in participation facts', () => {
    const state = initialState(late, { policy, joinedAt: joined });
    const events = beforeEnrollmentEvents(state);
    expect(events).toEqual([
      { type: 'event', step: 'check-in-1', kind: 'step-before-enrollment', detail: { dueAt: new Date(step('check-in-1').dueAt).toISOString() } },
    ]);
    const rows = events.map((e) => ({
      step: e.type === 'event' ? e.step : null,
      kind: e.type === 'event' ? e.kind : '',
      occurredAt: new Date(joined),
      detail: e.type === 'event' ? (e.detail ?? {}) : {},
    }));
    const facts = addCycleFacts(emptyFacts(), rows);
    expect(facts.checkIns).toEqual({ planned: 0, held: 0, missedAtLeastOnce: 0 });
    expect(Object.values(facts.escalations).every((n) => n === 0)).toBe(true);
  });
});
