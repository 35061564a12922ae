/** A check-in's calendar state through a year's changes (pure): one revision that only rises, whatever happens. */
import { describe, expect, it } from 'vitest';
import { planCycle } from '../../src/domain/plan.ts';
import * as actions from '../../src/workflows/cycle-actions.ts';
import { advance, endYear } from '../../src/workflows/cycle-clock.ts';
import { initialState, stepById } from '../../src/workflows/cycle-state.ts';
import type { Effect } from '../../src/workflows/effects.ts';
import { testPolicy } from '../support/policy.ts';

const policy = testPolicy();
const ZONE = 'America/New_York';
const DAY = 86_400_000;
const start = Date.UTC(2026, 8, 1, 14);
const mentee = { role: 'mentee' as const, personId: 'e' };
const coordinator = { role: 'coordinator' as const, coordinatorId: 'c' };
const invites = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'invite' ? [`${e.method}:${e.revision}${e.withdrawnBecause ? `:${e.withdrawnBecause}` : ''}`] : []));

function agreedAndOpen() {
  const state = initialState(planCycle(policy, start, ZONE));
  advance(policy, state, start, ZONE);
  actions.applyShareExpectations(
    state,
    { actor: { role: 'mentor', personId: 'm' }, expectationsId: 'x', meetingCadenceDays: 14, meetingLocalTime: '10:00', meetingFormat: 'video' },
    start,
  );
  actions.applyAcknowledgeExpectations(state, start);
  const opened = advance(policy, state, start + 21 * DAY, ZONE);
  return { state, opened };
}

const book = (at: number) => ({ actor: mentee, checkIn: 1, startsAt: new Date(at).toISOString(), endsAt: new Date(at + 45 * 60_000).toISOString() });

describe('a check-in’s calendar state', () => {
  it('rises above a cancel when booked again, and above a pause when proposed again on return', () => {
    const { state, opened } = agreedAndOpen();
    expect(invites(opened)).toEqual(['REQUEST:1']);
    const now = start + 22 * DAY;
    expect(invites(actions.applyCancelCheckIn(state, { actor: mentee, checkIn: 1 }))).toEqual(['CANCEL:2']);
    expect(actions.checkScheduleCheckIn(policy, state, book(now + 5 * DAY), now, ZONE)).toBeNull();
    expect(invites(actions.applyScheduleCheckIn(state, book(now + 5 * DAY)))).toEqual(['REQUEST:3']);

    expect(invites(actions.applyPause(state, { actor: coordinator, reason: 'leave', until: new Date(now + 10 * DAY).toISOString() }, now))).toEqual([
      'CANCEL:4:paused',
    ]);
    expect(stepById(state, 'check-in-1')).toMatchObject({ meeting: null, phase: 'awaiting-schedule', withdrawnByPause: true });
    const back = now + 3 * DAY;
    const resumed = [...actions.applyResume(state, back, 'coordinator'), ...actions.reproposeAfterPause(policy, state, back, ZONE)];
    expect(invites(resumed)).toEqual(['REQUEST:5']);
    expect(stepById(state, 'check-in-1')).toMatchObject({ phase: 'scheduled', withdrawnByPause: false });
  });

  it('leaves meetings after the time away alone', () => {
    const { state } = agreedAndOpen();
    const meeting = stepById(state, 'check-in-1')!.meeting!;
    const effects = actions.applyPause(state, { actor: coordinator, reason: 'travel', until: new Date(meeting.startsAt - 1).toISOString() }, start + 21 * DAY);
    expect(invites(effects)).toEqual([]);
    expect(stepById(state, 'check-in-1')!.meeting).toEqual(meeting);
  });

  it('refuses a booking outside the window, naming it; an overdue check-in gets two weeks', () => {
    const { state } = agreedAndOpen();
    const step = stepById(state, 'check-in-1')!;
    const now = start + 22 * DAY;
    expect(actions.checkScheduleCheckIn(policy, state, book(step.dueAt + DAY), now, ZONE)).toBe(
      'Check-in 1 can only be booked inside its window, from September 22, 2026 to December 1, 2026. Please choose a time in it.',
    );
    const overdue = step.dueAt + 2 * DAY;
    expect(actions.checkScheduleCheckIn(policy, state, book(overdue + 13 * DAY), overdue, ZONE)).toBeNull();
    expect(actions.checkScheduleCheckIn(policy, state, book(overdue + 15 * DAY), overdue, ZONE)).toMatch(/^Check-in 1 can only be booked inside its window/);
  });

  it('withdraws at the year’s end only what is booked after it', () => {
    const { state } = agreedAndOpen();
    const step = stepById(state, 'check-in-1')!;
    expect(invites(endYear(state, step.meeting!.startsAt + 1))).toEqual([]);
    const again = agreedAndOpen().state;
    const booked = stepById(again, 'check-in-1')!.meeting!;
    expect(invites(endYear(again, booked.startsAt - 1))).toEqual(['CANCEL:2:year-ended']);
  });
});
