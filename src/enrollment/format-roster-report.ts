/** The roster import's report as text lines, for the CLI (the API returns the same facts as JSON). */
import type { RosterImportResult } from './import-roster.ts';
import { describeProblem } from './parse-roster.ts';

export function formatRosterReport(result: RosterImportResult): string[] {
  if (!result.ok) {
    return [
      `The roster was not imported: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}. Nothing was changed.`,
      ...result.problems.map((p) => `  ${describeProblem(p)}`),
    ];
  }
  const { summary: s, plan } = result;
  const lines = [
    s.dryRun
      ? `Dry run: nothing was changed. Importing this roster (${s.pairsInRoster} pairs) would give:`
      : `Imported ${s.pairsInRoster} pair${s.pairsInRoster === 1 ? '' : 's'}.`,
    `  people: ${s.people.new} new, ${s.people.updated} updated, ${s.people.unchanged} unchanged`,
    ...plan.updatedPeople.map((p) => `    updated ${p.email}: ${p.fields.join(', ')}`),
    `  pairs: ${s.pairs.new} new, ${s.pairs.updated} updated, ${s.pairs.unchanged} unchanged` +
      (s.pairs.continuing ? `, ${s.pairs.continuing} continuing from an earlier year` : '') +
      (s.pairs.ended ? `, ${s.pairs.ended} ended (not restarted)` : ''),
    ...plan.pairs.flatMap((p, i) => (p.changes.length ? [`    row ${result.rowOf[i]}: ${p.changes.join(', ')} changed`] : [])),
    ...plan.pairs.flatMap((p, i) =>
      p.outcome === 'ended' ? [`    row ${result.rowOf[i]}: this pair was ended; re-enrolling it is a coordinator's decision`] : [],
    ),
    `  cycles: ${s.cyclesCreated} new`,
  ];
  if (s.cycles) {
    lines.push(
      `  workflows: ${s.cycles.started} started, ${s.cycles.alreadyRunning} already running, ${s.cycles.skipped} skipped` +
        (s.cycles.failed + s.cycles.notStarted ? `, ${s.cycles.failed + s.cycles.notStarted} not started` : ''),
    );
  }
  if (plan.missingPairs.length > 0) {
    lines.push(
      `  ${plan.missingPairs.length} active pair${plan.missingPairs.length === 1 ? ' is' : 's are'} not in this roster (still enrolled; end them from the dashboard if they should stop):`,
    );
    for (const m of plan.missingPairs) lines.push(`    ${m.mentorEmail} → ${m.menteeEmail}${m.program ? ` (${m.program})` : ''}`);
  }
  if (s.startError) {
    lines.push(
      `Temporal failed while starting cycles (${s.startError}). The roster is saved; run the same import again to start the cycles that did not start.`,
    );
  }
  return lines;
}
