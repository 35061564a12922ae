/**
 * The year report as lines (section, measure, count): the page's tables, the CSV and the
 * printable page all read these, so they never disagree. And the rule for any copy meant to
 * leave the department: a count drawn from fewer pairs than the anonymity threshold shows
 * as "fewer than N", never as the number.
 */
import { stepLabel } from './policy-summary.ts';
import type { Cell, YearReport } from '../stores/year-report-store.ts';

export interface ReportLine {
  section: string;
  measure: string;
  cell: Cell;
}

export type Audience = 'department' | 'outside';

export const PAUSE_REASONS: Record<string, string> = { leave: 'Leave', sabbatical: 'Sabbatical', travel: 'Travel', other: 'Other' };
export const END_REASONS: Record<string, string> = { graduation: 'Graduation', 'lab-change': 'Lab change', withdrawn: 'Withdrawn', other: 'Other' };

/** The count as it may be shown to `audience`. */
export function shownCount(cell: Cell, audience: Audience, threshold: number): string {
  if (audience === 'outside' && cell.pairs < threshold) return `fewer than ${threshold}`;
  return String(cell.value);
}

export function reportLines(r: YearReport): ReportLine[] {
  const lines: ReportLine[] = [];
  const add = (section: string, measure: string, cell: Cell) => lines.push({ section, measure, cell });
  add('Pairs', 'Pairs enrolled', r.pairs);
  add('Pairs', 'Joined after the year began', r.joinedLate);
  add('Expectations', 'Set on time (before any reminder past the due date)', r.expectations.onTime);
  add('Expectations', 'Set late (after the escalation ladder started)', r.expectations.late);
  add('Expectations', 'Not set', r.expectations.notSet);
  add('Check-ins', 'Planned (windows opened while the pair was enrolled)', r.checkIns.planned);
  add('Check-ins', 'Held', r.checkIns.held);
  add('Check-ins', 'Rescheduled after a missed meeting', r.checkIns.rescheduledAfterMiss);
  add('Check-ins', 'Not held', r.checkIns.notHeld);
  add('Check-ins', 'Reported missed ("we didn\'t meet")', r.checkIns.reportedMissed);
  add('Training goals', 'Updated and reviewed by the mentor', r.goals.reviewed);
  add('Training goals', 'Updated, not reviewed', r.goals.updatedNotReviewed);
  add('Training goals', 'Not updated', r.goals.notUpdated);
  add('Feedback', 'Given by both', r.feedback.both);
  add('Feedback', 'Given by one', r.feedback.one);
  add('Feedback', 'Given by neither', r.feedback.neither);
  add('Stalls', 'Pairs with a stalled step', r.stalledPairs);
  for (const s of r.stalls) {
    const step = stepLabel(s.step);
    add('Stalls', `${step}: stalled`, s.stalled);
    add('Stalls', `${step}: completed after reminders`, s.completedAfterReminder);
    add('Stalls', `${step}: resolved by the coordinator`, s.resolvedByCoordinator);
    add('Stalls', `${step}: referred to a resource`, s.referred);
    add('Stalls', `${step}: lapsed`, s.lapsed);
    add('Stalls', `${step}: still open`, s.stillOpen);
  }
  for (const e of r.endedEarly) add('Pairs ended early', END_REASONS[e.reason] ?? e.reason, e.pairs);
  add('Time away', 'Pairs with time away', r.timeAway.pairs);
  add('Time away', 'Pauses', r.timeAway.pauses);
  for (const p of r.timeAway.byReason) add('Time away', `Pauses for ${(PAUSE_REASONS[p.reason] ?? p.reason).toLowerCase()}`, p.pauses);
  return lines;
}

/** The few counts the five-year trend follows (table and chart). */
export const TREND_SERIES = [
  { key: 'pairs', label: 'Pairs enrolled', of: (r: YearReport) => r.pairs, color: '#1f5fa8' },
  { key: 'goals', label: 'Goals reviewed', of: (r: YearReport) => r.goals.reviewed, color: '#256c2e' },
  { key: 'feedback', label: 'Feedback from both', of: (r: YearReport) => r.feedback.both, color: '#6b3fa0' },
  { key: 'stalled', label: 'Pairs that stalled', of: (r: YearReport) => r.stalledPairs, color: '#9a3b00' },
] as const;
