import { describe, expect, it } from 'vitest';
import { proposeCheckInSlot } from '../../src/domain/check-in-slot.ts';
import { planCycle } from '../../src/domain/plan.ts';
import { wallClock } from '../../src/domain/zoned-time.ts';
import { testPolicy } from '../support/policy.ts';

const NY = 'America/New_York';

describe('the cycle plan', () => {
  const policy = testPolicy();
  const enrolled = Date.UTC(2026, 8, 8, 13, 30); // 2026-09-08 09:30 EDT
  const plan = planCycle(policy, enrolled, NY);
  const step = (id: string) => plan.steps.find((s) => s.id === id)!;

  it('lays out the five stages in the order of the guidelines', () => {
    expect(plan.steps.map((s) => s.id)).toEqual([
      'expectations',
      'check-in-1',
      'check-in-2',
      'check-in-3',
      'training-goals',
      'check-in-4',
      'feedback',
      'evaluation',
    ]);
    expect(step('training-goals')).toMatchObject({ opensAt: step('check-in-3').opensAt, dueAt: step('check-in-3').dueAt });
    for (let i = 1; i < plan.steps.length; i++) expect(plan.steps[i]!.opensAt).toBeGreaterThanOrEqual(plan.steps[i - 1]!.opensAt);
  });

  it('counts calendar days in the pair’s zone, keeping the wall-clock time across daylight saving', () => {
    // Expectations are due 21 days later; check-in 2 (day 182) falls after the November change.
    expect(new Date(step('expectations').dueAt).toISOString()).toBe('2026-09-29T13:30:00.000Z');
    expect(wallClock(step('check-in-2').dueAt, NY)).toMatchObject({ year: 2027, month: 3, day: 9, hour: 9, minute: 30 });
    expect(new Date(plan.yearEndsAt).toISOString()).toBe('2027-09-08T13:30:00.000Z');
  });

  it('compresses time when the policy says so: a policy week per second', () => {
    const compressed = planCycle(testPolicy({ timeCompression: 604_800 }), 0, NY);
    expect(compressed.steps[0]!.dueAt).toBe(3_000);
    expect(compressed.yearEndsAt).toBeCloseTo((365 / 7) * 1000, 6);
  });
});

describe('proposing a check-in slot from the agreed cadence', () => {
  const policy = testPolicy();
  const agreedAt = Date.UTC(2026, 8, 15, 14, 0); // Tuesday 2026-09-15, 10:00 EDT

  it('picks the first fortnightly meeting inside the window, at the agreed local time, across DST', () => {
    const slot = proposeCheckInSlot({
      policy,
      zone: NY,
      anchorMs: agreedAt,
      cadenceDays: 14,
      localTime: '10:00',
      windowOpensAt: Date.UTC(2026, 10, 5),
      windowDueAt: Date.UTC(2027, 1, 1),
      nowMs: agreedAt,
    });
    // Fortnights from 09-15: 09-29, 10-13, 10-27, 11-10 — the first on or after 11-05, in EST.
    expect(new Date(slot.startsAt).toISOString()).toBe('2026-11-10T15:00:00.000Z');
    expect(slot.endsAt - slot.startsAt).toBe(45 * 60_000);
  });

  it('never proposes a time in the past', () => {
    const now = Date.UTC(2026, 10, 12);
    const slot = proposeCheckInSlot({
      policy,
      zone: NY,
      anchorMs: agreedAt,
      cadenceDays: 14,
      localTime: '10:00',
      windowOpensAt: Date.UTC(2026, 10, 5),
      windowDueAt: Date.UTC(2027, 1, 1),
      nowMs: now,
    });
    expect(slot.startsAt).toBeGreaterThanOrEqual(now);
    expect(new Date(slot.startsAt).toISOString()).toBe('2026-11-24T15:00:00.000Z');
  });
});
