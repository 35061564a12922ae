/** Evaluation packets as one CSV row per mentor and year, for the committee's spreadsheet. */
import type { CompetencyFramework } from './competency-framework.ts';
import type { PacketContent } from './packets.ts';
import { csvRows } from './spreadsheet-csv.ts';

export function packetsCsv(framework: CompetencyFramework, packets: readonly (PacketContent & { mentorName: string })[]): string {
  const competencies = framework.groups.flatMap((g) => g.competencies);
  const header = [
    'academic_year',
    'mentor',
    'ratings',
    'responses',
    'covered_years',
    'overall_mean',
    ...framework.groups.map((g) => `group_mean:${g.id}`),
    ...competencies.map((c) => `mean:${c.id}`),
    'pairs',
    'expectations_on_time',
    'expectations_late',
    'expectations_not_set',
    'check_ins_planned',
    'check_ins_held',
    'escalations_completed',
    'escalations_resolved_by_coordinator',
    'escalations_lapsed',
    'escalations_pair_ended',
    'escalations_still_open',
    'mentor_reflection',
  ];
  const rows = packets.map((p) => {
    const agg = p.ratings.status === 'released' ? p.ratings.aggregate : null;
    const groupMean = (id: string) => agg?.groups.find((g) => g.id === id)?.mean ?? null;
    const compMean = (id: string) => agg?.groups.flatMap((g) => g.competencies).find((c) => c.id === id)?.mean ?? null;
    return [
      p.academicYear,
      p.mentorName,
      p.ratings.status,
      agg ? agg.responses : null,
      p.ratings.status === 'released' ? p.ratings.coveredYears.join(' ') : null,
      agg?.overallMean ?? null,
      ...framework.groups.map((g) => groupMean(g.id)),
      ...competencies.map((c) => compMean(c.id)),
      p.facts.pairs,
      p.facts.expectations.onTime,
      p.facts.expectations.late,
      p.facts.expectations.notSet,
      p.facts.checkIns.planned,
      p.facts.checkIns.held,
      p.facts.escalations.completed,
      p.facts.escalations['resolved-by-coordinator'],
      p.facts.escalations.lapsed,
      p.facts.escalations['pair-ended'],
      p.facts.escalations['still-open'],
      p.reflections.join('\n\n'),
    ];
  });
  return csvRows([header, ...rows]);
}
