/**
 * A mentor's participation in one academic year, read from the projection's timeline
 * (cycle_events): states and instants only, never what anyone typed. Pure.
 */
import { isCheckInStep } from '../domain/step-id.ts';

export interface TimelineRow {
  step: string | null;
  kind: string;
  occurredAt: Date;
  detail: Record<string, unknown>;
}

export type EscalationOutcome = 'completed' | 'resolved-by-coordinator' | 'lapsed' | 'pair-ended' | 'still-open';

export interface ParticipationFacts {
  pairs: number;
  expectations: { onTime: number; late: number; notSet: number };
  checkIns: { planned: number; held: number; missedAtLeastOnce: number };
  /** Steps that climbed the ladder, counted by how they ended. */
  escalations: Record<EscalationOutcome, number>;
  /** The highest rung any escalated step reached, by count: "remind-owner" … "refer-resource". */
  highestRungs: Record<string, number>;
  feedback: { mentorSubmitted: number; menteeSubmitted: number };
  pairsEndedEarly: number;
}

export function emptyFacts(): ParticipationFacts {
  return {
    pairs: 0,
    expectations: { onTime: 0, late: 0, notSet: 0 },
    checkIns: { planned: 0, held: 0, missedAtLeastOnce: 0 },
    escalations: { completed: 0, 'resolved-by-coordinator': 0, lapsed: 0, 'pair-ended': 0, 'still-open': 0 },
    highestRungs: {},
    feedback: { mentorSubmitted: 0, menteeSubmitted: 0 },
    pairsEndedEarly: 0,
  };
}

/** Adds one cycle's timeline to the facts. */
export function addCycleFacts(facts: ParticipationFacts, events: readonly TimelineRow[]): ParticipationFacts {
  facts.pairs++;
  const byStep = new Map<string, TimelineRow[]>();
  for (const e of events) if (e.step) byStep.set(e.step, [...(byStep.get(e.step) ?? []), e]);
  const closing = (rows: TimelineRow[]) => rows.find((e) => e.kind.startsWith('step-') && e.kind !== 'step-opened');

  const expectations = byStep.get('expectations') ?? [];
  const dueAt = expectations.find((e) => e.kind === 'step-opened')?.detail.dueAt;
  const done = expectations.find((e) => e.kind === 'step-completed');
  if (!done) facts.expectations.notSet++;
  else if (typeof dueAt === 'string' && done.occurredAt.getTime() <= Date.parse(dueAt)) facts.expectations.onTime++;
  else facts.expectations.late++;

  for (const [step, rows] of byStep) {
    if (isCheckInStep(step) && rows.some((e) => e.kind === 'step-opened')) {
      facts.checkIns.planned++;
      if (rows.some((e) => e.kind === 'step-completed' && e.detail.phase === 'held')) facts.checkIns.held++;
      if (rows.some((e) => e.kind === 'check-in-missed')) facts.checkIns.missedAtLeastOnce++;
    }
    const rungs = rows.filter((e) => e.kind === 'ladder-rung');
    if (rungs.length > 0) {
      const end = closing(rows);
      const outcome: EscalationOutcome = !end
        ? events.some((e) => e.kind === 'pair-ended')
          ? 'pair-ended'
          : 'still-open'
        : end.kind === 'step-completed'
          ? 'completed'
          : end.kind === 'step-resolved'
            ? 'resolved-by-coordinator'
            : end.kind === 'step-cancelled'
              ? 'pair-ended'
              : 'lapsed';
      facts.escalations[outcome]++;
      const top = rungs.reduce((a, b) => (Number(b.detail.index) > Number(a.detail.index) ? b : a));
      const name = String(top.detail.rung);
      facts.highestRungs[name] = (facts.highestRungs[name] ?? 0) + 1;
    }
  }
  for (const e of byStep.get('feedback') ?? []) {
    if (e.kind === 'feedback-submitted' && e.detail.by === 'mentor') facts.feedback.mentorSubmitted++;
    if (e.kind === 'feedback-submitted' && e.detail.by === 'mentee') facts.feedback.menteeSubmitted++;
  }
  if (events.some((e) => e.kind === 'pair-ended')) facts.pairsEndedEarly++;
  return facts;
}
