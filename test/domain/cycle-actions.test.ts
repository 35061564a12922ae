import { describe, expect, it } from 'vitest';
import { planCycle } from '../../src/domain/plan.ts';
import * as actions from '../../src/workflows/cycle-actions.ts';
import { advance } from '../../src/workflows/cycle-clock.ts';
import { initialState, stepById, type CycleState } from '../../src/workflows/cycle-state.ts';
import type { Effect } from '../../src/workflows/effects.ts';
import { testPolicy } from '../support/policy.ts';

const policy = testPolicy();
const DAY = 86_400_000;
const start = Date.UTC(2026, 8, 1, 14);
const mentor = { role: 'mentor' as const, personId: 'm' };
const mentee = { role: 'mentee' as const, personId: 'e' };
const kinds = (effects: Effect[]) =>
  effects.map((e) =>
    e.type === 'notify' ? `notify:${e.kind}` : e.type === 'invite' ? `invite:${e.method}:${e.revision}` : e.type === 'event' ? e.kind : e.type,
  );

function fresh(): CycleState {
  const state = initialState(planCycle(policy, start, 'America/New_York'));
  advance(policy, state, start, 'America/New_York');
  return state;
}

const share = { actor: mentor, expectationsId: 'x', meetingCadenceDays: 14, meetingLocalTime: '10:00', meetingFormat: 'video' as const };

describe('what people do to a cycle (pure)', () => {
  it('sends questioned expectations back to the mentor, who may share a revision', () => {
    const state = fresh();
    actions.applyShareExpectations(state, share, start + DAY);
    expect(actions.checkShareExpectations(state, share)).toBe('Expectations are already shared and wait for the mentee’s answer.');
    expect(kinds(actions.applyQuestionExpectations(state, { actor: mentee, questionId: 'q1' }))).toEqual([
      'expectations-questioned',
      'notify:expectations-questioned',
    ]);
    expect(stepById(state, 'expectations')).toMatchObject({ phase: 'questioned', owedBy: 'mentor' });
    expect(actions.checkShareExpectations(state, share)).toBeNull();
    actions.applyShareExpectations(state, { ...share, meetingCadenceDays: 7 }, start + 2 * DAY);
    expect(kinds(actions.applyAcknowledgeExpectations(state, start + 3 * DAY))).toEqual(['step-completed', 'notify:expectations-acknowledged']);
    expect(state.agreement).toMatchObject({ cadenceDays: 7, agreedAt: start + 3 * DAY });
  });

  it('counts a missed check-in as done once it is rescheduled, with the invite’s revision still rising', () => {
    const state = fresh();
    actions.applyShareExpectations(state, share, start);
    actions.applyAcknowledgeExpectations(state, start);
    const opened = advance(policy, state, stepById(state, 'check-in-1')!.opensAt, 'America/New_York');
    expect(kinds(opened)).toEqual(['step-opened', 'invite:REQUEST:1', 'notify:check-in-window-open']);
    const meeting = stepById(state, 'check-in-1')!.meeting!;
    expect(actions.checkRecordOutcome(state, { actor: mentee, checkIn: 1, outcome: 'held' }, meeting.startsAt - 1)).toBe('The meeting has not started yet.');
    actions.applyRecordOutcome(state, { actor: mentee, checkIn: 1, outcome: 'missed' });
    const later = new Date(meeting.startsAt + 7 * DAY);
    const reschedule = { actor: mentor, checkIn: 1, startsAt: later.toISOString(), endsAt: new Date(later.getTime() + 3_600_000).toISOString() };
    expect(actions.checkScheduleCheckIn(policy, state, reschedule, meeting.endsAt)).toBeNull();
    expect(kinds(actions.applyScheduleCheckIn(state, reschedule))).toEqual(['check-in-rescheduled', 'invite:REQUEST:2', 'step-completed']);
    expect(stepById(state, 'check-in-1')).toMatchObject({ state: 'completed', phase: 'missed-and-rescheduled' });
    // A numbered check-in takes no article; a named step keeps its "the".
    expect(actions.checkCancelCheckIn(state, { actor: mentee, checkIn: 1 })).toBe('Check-in 1 is already finished.');
    expect(actions.checkCancelCheckIn(state, { actor: mentee, checkIn: 2 })).toMatch(/^Check-in 2 has not started yet; it opens on \d{4}-\d{2}-\d{2}\.$/);
    expect(actions.checkShareExpectations(state, share)).toBe('The expectations step is already finished.');
  });

  it('rejects a meeting in the past, one that ends before it starts, and cancelling nothing', () => {
    const state = fresh();
    const now = stepById(state, 'check-in-1')!.opensAt;
    advance(policy, state, now, 'America/New_York');
    const at = (ms: number) => new Date(ms).toISOString();
    expect(actions.checkScheduleCheckIn(policy, state, { actor: mentor, checkIn: 1, startsAt: at(now - DAY), endsAt: at(now - DAY + 3_600_000) }, now)).toBe(
      'The meeting cannot start in the past.',
    );
    expect(actions.checkScheduleCheckIn(policy, state, { actor: mentor, checkIn: 1, startsAt: at(now + DAY), endsAt: at(now + DAY - 1) }, now)).toBe(
      'The meeting must end after it starts.',
    );
    expect(actions.checkCancelCheckIn(state, { actor: mentor, checkIn: 1 })).toBe('There is no scheduled meeting to cancel.');
    expect(actions.checkScheduleCheckIn(policy, state, { actor: mentor, checkIn: 9, startsAt: at(now + DAY), endsAt: at(now + DAY + 1) }, now)).toBe(
      'There is no step "check-in-9" in this cycle.',
    );
  });

  it('releases two-way feedback once both sides submitted, and records only who submitted', () => {
    const state = fresh();
    advance(policy, state, stepById(state, 'feedback')!.opensAt, 'America/New_York');
    const first = actions.applySubmitFeedback(state, { actor: mentee, feedbackId: 'f1' });
    expect(first).toEqual([{ type: 'event', step: 'feedback', kind: 'feedback-submitted', detail: { by: 'mentee' } }]);
    expect(actions.checkSubmitFeedback(state, { actor: mentee, feedbackId: 'f2' })).toBe('You have already submitted your feedback for this year.');
    expect(kinds(actions.applySubmitFeedback(state, { actor: mentor, feedbackId: 'f3' }))).toEqual([
      'feedback-submitted',
      'step-completed',
      'notify:feedback-released',
    ]);
  });
});
