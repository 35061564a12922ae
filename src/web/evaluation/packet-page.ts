/**
 * The printable evaluation packet: one section per mentor and year. Ratings appear only
 * as released aggregates (means per group and competency); a withheld year says so and
 * shows nothing else about the ratings — not even how many mentees responded.
 */
import type { PacketContent } from '../../evaluation/packets.ts';
import { RATING_LABELS } from '../../evaluation/rating-scale.ts';
import { html, trustedHtml, type Html } from '../html.ts';
import { page } from '../layout.ts';
import { formatAcademicYear } from '../../domain/academic-year.ts';

const PRINT = trustedHtml(`<style>
@media print { header.site, .no-print { display:none } main { max-width:none; padding:0 } section.packet { break-after: page } }
section.packet { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem 1.25rem; margin:1rem 0 }
.mean { font-variant-numeric: tabular-nums; font-weight:600 }
</style>`);

const mean = (m: number | null) =>
  m === null ? html`<span class="hint">suppressed (too few answers)</span>` : html`<span class="mean">${m.toFixed(1)}</span>`;

function ratingsSection(p: PacketContent): Html {
  if (p.ratings.status === 'withheld') {
    return html`<p class="notice">Mentee ratings for this year are <strong>withheld</strong>: fewer than ${p.threshold} responses so far. They are pooled with later years and released once ${p.threshold} or more exist.</p>`;
  }
  const r = p.ratings;
  return html`<p>Aggregated from <strong>${r.aggregate.responses}</strong> mentee responses (academic years ${r.coveredYears.map(formatAcademicYear).join(', ')}), on a scale of 1 (${RATING_LABELS[1]}) to 7 (${RATING_LABELS[7]}). Overall mean: ${mean(r.aggregate.overallMean)}.</p>
<table><thead><tr><th scope="col">Competency</th><th scope="col">Mean</th></tr></thead><tbody>
${r.aggregate.groups.map(
  (g) => html`<tr><th scope="row" colspan="1">${g.name}</th><td>${mean(g.mean)}</td></tr>
${g.competencies.map((c) => html`<tr><td>&nbsp;&nbsp;${c.name}</td><td>${mean(c.mean)}</td></tr>`)}`,
)}
</tbody></table>`;
}

function factsSection(p: PacketContent): Html {
  const f = p.facts;
  const e = f.escalations;
  const escalated = Object.values(e).reduce((a, b) => a + b, 0);
  return html`<ul>
<li>Mentoring pairs this year: ${f.pairs}${f.pairsEndedEarly ? html` (${f.pairsEndedEarly} ended early)` : ''}</li>
<li>Expectations set on time: ${f.expectations.onTime} of ${f.pairs}${f.expectations.late ? html`; late: ${f.expectations.late}` : ''}${f.expectations.notSet ? html`; not set: ${f.expectations.notSet}` : ''}</li>
<li>Check-ins held: ${f.checkIns.held} of ${f.checkIns.planned} planned${f.checkIns.missedAtLeastOnce ? html` (${f.checkIns.missedAtLeastOnce} missed at least once)` : ''}</li>
<li>Steps escalated: ${escalated}${escalated ? html` — completed afterwards ${e.completed}, resolved by the coordinator ${e['resolved-by-coordinator']}, lapsed ${e.lapsed}, pair ended ${e['pair-ended']}, still open ${e['still-open']}` : ''}</li>
<li>Two-way feedback given by the mentor in ${f.feedback.mentorSubmitted} of ${f.pairs} pairs</li>
</ul>`;
}

export function renderPacketsPage(options: { departmentName: string; packets: (PacketContent & { mentorName: string })[] }): string {
  const body = html`${PRINT}<h1>Evaluation of mentoring</h1>
<p class="hint no-print">Confidential. Your reading of these packets is recorded in the audit log. Use your browser's print command for paper or PDF.</p>
${options.packets.length === 0 ? html`<p>No packets match.</p>` : ''}
${options.packets.map(
  (p) => html`<section class="packet" aria-labelledby="packet-${p.mentorId}-${p.academicYear}">
<h2 id="packet-${p.mentorId}-${p.academicYear}">${p.mentorName} · ${formatAcademicYear(p.academicYear)}</h2>
<h3>Mentee ratings</h3>
${ratingsSection(p)}
<h3>Participation</h3>
${factsSection(p)}
<h3>Mentor's reflection</h3>
${p.reflections.length === 0 ? html`<p class="hint">No reflection given.</p>` : p.reflections.map((r) => html`<blockquote style="white-space:pre-wrap">${r}</blockquote>`)}
</section>`,
)}`;
  return page({ title: 'Evaluation packets', departmentName: options.departmentName, body });
}
