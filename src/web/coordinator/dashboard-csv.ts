/** The filtered list as CSV: every matching cycle (not just one page), same order as the page. */
import type { Policy } from '../../domain/policy.ts';
import { stageLabel } from './dashboard-filters.ts';
import type { DashboardRow } from '../../stores/dashboard-store.ts';
import { csvLine } from '../../evaluation/spreadsheet-csv.ts';
import { owedByText, rungText, STATUS_LABELS } from './display.ts';
import { ladderForStep } from '../../domain/ladder.ts';

export const CSV_HEADER = [
  'mentor',
  'mentor_email',
  'mentee',
  'mentee_email',
  'program',
  'academic_year',
  'state',
  'step',
  'stalled_since',
  'due_at',
  'owed_by',
  'ladder_rung',
  'delivery_problems',
  'cycle_id',
] as const;

export function csvHeader(): string {
  return csvLine(CSV_HEADER);
}

export function csvRow(row: DashboardRow, policy: Pick<Policy, 'ladder' | 'ladderByStep'>): string {
  const problems = [
    row.deliveryProblem,
    row.mentorUndeliverable ? "Mentor's address refuses mail" : null,
    row.menteeUndeliverable ? "Mentee's address refuses mail" : null,
  ]
    .filter(Boolean)
    .join('; ');
  return csvLine([
    row.mentorName,
    row.mentorEmail,
    row.menteeName,
    row.menteeEmail,
    row.program,
    row.academicYear,
    STATUS_LABELS[row.status],
    stageLabel(row.currentStep),
    row.stalledSince?.toISOString() ?? '',
    row.dueAt?.toISOString() ?? '',
    owedByText(row.owedBy),
    rungText(row.ladderRung, ladderForStep(policy, row.currentStep)),
    problems,
    row.cycleId,
  ]);
}
