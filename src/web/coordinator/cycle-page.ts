/**
 * One pair's page: where the cycle stands, its timeline from the projection (states and ids
 * only — nothing a person typed), and the coordinator's actions as forms.
 */
import { html, type Html } from '../html.ts';
import { page } from '../layout.ts';
import type { Policy } from '../../domain/policy.ts';
import { stageLabel } from './dashboard-filters.ts';
import type { CycleDetail, TimelineEntry } from '../../stores/dashboard-store.ts';
import { dateCell, dateTimeText, owedByText, rungText, statusBadge } from './display.ts';
import { ladderForStep } from '../../domain/ladder.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { csrfField, staffHeader } from '../staff/staff-header.ts';
import { labChangeForm, type LabChangeState } from './lab-change-form.ts';
import { timelineDetailText, timelineKindText } from './timeline-detail.ts';

export const ACTION_DONE: Record<string, string> = {
  nudge: 'Reminder sent to whoever owes the step.',
  snooze: 'Escalation snoozed.',
  resolve: 'Step resolved; its reminders stop.',
  pause: 'Cycle paused; deadlines wait until it resumes.',
  resume: 'Cycle resumed; deadlines moved by the pause.',
  end: 'Pair ended; upcoming check-ins are cancelled.',
  'lab-change': 'The mentee changed lab: the old pair is ended and this new pair is enrolled.',
};

export const PAUSE_REASONS = ['leave', 'sabbatical', 'travel', 'other'] as const;
export const END_REASONS = ['graduation', 'lab-change', 'withdrawn', 'other'] as const;
const REASON_LABELS: Record<string, string> = {
  leave: 'Leave',
  sabbatical: 'Sabbatical',
  travel: 'Travel',
  other: 'Other',
  graduation: 'Graduation',
  'lab-change': 'Lab change',
  withdrawn: 'Withdrawn',
};

export interface CyclePageView {
  staff: SignedInStaff;
  policy: Policy;
  cycle: CycleDetail;
  timeline: TimelineEntry[];
  done?: string;
  /** A rejected action: which, why, and what was typed. */
  error?: { action: string; reason: string; typed: { step?: string; until?: string; reason?: string; confirm?: string } };
  /** The lab-change form's typed values and problems (lab-change-form.ts). */
  labChange?: LabChangeState;
}

function actions(view: CyclePageView): Html {
  const { cycle } = view;
  const live = cycle.status !== 'completed' && cycle.status !== 'ended';
  if (!live) return html`<p class="notice" id="no-actions">This cycle is ${cycle.status}; there is nothing left to act on.</p>`;
  const base = `/dashboard/cycles/${cycle.cycleId}`;
  const typed = view.error?.typed ?? {};
  const step = cycle.currentStep;
  const stepField = step ? html`<input type="hidden" name="step" value="${step}">` : '';
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return html`<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:0 1rem">
${
  step
    ? html`<form method="post" action="${base}/nudge" id="action-nudge" class="card" aria-labelledby="action-nudge-heading">${csrfField(view.staff)}${stepField}
<h3 style="margin:0" id="action-nudge-heading">Remind now</h3><p class="hint">Emails whoever owes ${stageLabel(step).toLowerCase()} (${owedByText(cycle.owedBy).toLowerCase()}).</p>
<button type="submit" id="nudge-button">Send a reminder</button></form>
<form method="post" action="${base}/snooze" id="action-snooze" class="card" aria-labelledby="action-snooze-heading">${csrfField(view.staff)}${stepField}
<h3 style="margin:0" id="action-snooze-heading">Snooze the escalation</h3>
<label for="snooze-until">Until <span class="hint">(date, in ${view.policy.defaultTimeZone})</span></label>
<input type="date" id="snooze-until" name="until" required min="${tomorrow}" value="${typed.until ?? ''}">
<button type="submit" class="secondary" id="snooze-button">Snooze</button></form>
<form method="post" action="${base}/resolve" id="action-resolve" class="card" aria-labelledby="action-resolve-heading">${csrfField(view.staff)}${stepField}
<h3 style="margin:0" id="action-resolve-heading">Resolve the step</h3><p class="hint">Settled outside Tandem: close ${stageLabel(step).toLowerCase()} and stop its reminders.</p>
<button type="submit" class="secondary" id="resolve-button">Mark resolved</button></form>`
    : ''
}
${
  cycle.status === 'paused'
    ? html`<form method="post" action="${base}/resume" id="action-resume" class="card" aria-labelledby="action-resume-heading">${csrfField(view.staff)}
<h3 style="margin:0" id="action-resume-heading">Resume</h3><p class="hint">Deadlines move by the time paused.</p>
<button type="submit" id="resume-button">Resume the cycle</button></form>`
    : html`<form method="post" action="${base}/pause" id="action-pause" class="card" aria-labelledby="action-pause-heading">${csrfField(view.staff)}
<h3 style="margin:0" id="action-pause-heading">Pause</h3>
<label for="pause-reason">Reason</label>
<select id="pause-reason" name="reason" required>${PAUSE_REASONS.map((r) => html`<option value="${r}"${typed.reason === r ? html` selected` : ''}>${REASON_LABELS[r]}</option>`)}</select>
<label for="pause-until">Expected back <span class="hint">(optional date)</span></label>
<input type="date" id="pause-until" name="until" min="${tomorrow}" value="${view.error?.action === 'pause' ? (typed.until ?? '') : ''}">
<button type="submit" class="secondary" id="pause-button">Pause the cycle</button></form>`
}
<form method="post" action="${base}/end" id="action-end" class="card" aria-labelledby="action-end-heading">${csrfField(view.staff)}
<h3 style="margin:0" id="action-end-heading">End the pair</h3><p class="hint">Stops the cycle for good and cancels upcoming check-ins.</p>
<label for="end-reason">Reason</label>
<select id="end-reason" name="reason" required>${END_REASONS.map((r) => html`<option value="${r}"${typed.reason === r && view.error?.action === 'end' ? html` selected` : ''}>${REASON_LABELS[r]}</option>`)}</select>
<label style="font-weight:400"><input type="checkbox" name="confirm" value="yes" required id="end-confirm"> I understand this cannot be undone</label>
<button type="submit" class="danger" id="end-button">End the pair</button></form>
</div>`;
}

export function cyclePage(view: CyclePageView): string {
  const { cycle, policy } = view;
  const zone = policy.defaultTimeZone;
  const title = html`${cycle.mentorName} & ${cycle.menteeName}`;
  return page({
    title: `${cycle.mentorName} & ${cycle.menteeName}`,
    departmentName: policy.department.name,
    headerExtra: staffHeader(view.staff),
    // Long email addresses wrap instead of pushing a phone's screen sideways.
    styles: '#cycle-facts dd { margin:0; overflow-wrap:anywhere; }',
    body: html`<p><a href="/dashboard">← All cycles</a></p>
<h1 id="pair-title">${title}</h1>
${view.done && ACTION_DONE[view.done] ? html`<p class="notice success" role="status" id="action-done">${ACTION_DONE[view.done]}</p>` : ''}
${view.error ? html`<p class="notice error" role="alert" id="action-error">Not done: ${view.error.reason}</p>` : ''}
<dl class="card" id="cycle-facts" style="display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.3rem 1rem;margin:1rem 0">
<dt>Mentor</dt><dd>${cycle.mentorName} <span class="hint">${cycle.mentorEmail}</span>${cycle.mentorUndeliverable ? html` <strong style="color:var(--bad)">— address refuses mail</strong>` : ''}</dd>
<dt>Mentee</dt><dd>${cycle.menteeName} <span class="hint">${cycle.menteeEmail}</span>${cycle.menteeUndeliverable ? html` <strong style="color:var(--bad)">— address refuses mail</strong>` : ''}</dd>
<dt>Program</dt><dd>${cycle.program ?? '—'}</dd>
<dt>Academic year</dt><dd>${cycle.academicYear}–${String((cycle.academicYear + 1) % 100).padStart(2, '0')}</dd>
<dt>State</dt><dd id="cycle-status">${statusBadge(cycle.status)}${cycle.endedReason ? html` (${REASON_LABELS[cycle.endedReason] ?? cycle.endedReason})` : ''}</dd>
<dt>Step</dt><dd id="cycle-step">${stageLabel(cycle.currentStep)}</dd>
<dt>Due</dt><dd>${dateCell(cycle.dueAt, zone)}</dd>
<dt>Owed by</dt><dd>${owedByText(cycle.owedBy)}</dd>
<dt>Stalled since</dt><dd>${dateCell(cycle.stalledSince, zone)}</dd>
<dt>Ladder rung</dt><dd id="cycle-rung">${rungText(cycle.ladderRung, ladderForStep(policy, cycle.currentStep))}</dd>
<dt>Delivery</dt><dd id="cycle-delivery">${cycle.deliveryProblem ?? 'No problem reported'}</dd>
</dl>
<h2>Act on this cycle</h2>
${actions(view)}
${labChangeForm(view.staff, cycle, view.labChange)}
<h2>Timeline</h2>
${
  view.timeline.length === 0
    ? html`<p class="hint">Nothing has happened yet.</p>`
    : html`<ol id="timeline" reversed class="card" style="padding-left:3rem">
${view.timeline.map((e) => {
  const detail = timelineDetailText(e.detail, zone);
  return html`<li data-kind="${e.kind}"><time datetime="${e.occurredAt.toISOString()}">${dateTimeText(e.occurredAt, zone)}</time> — <strong>${timelineKindText(e.kind)}</strong>${e.step ? html` · ${stageLabel(e.step)}` : ''}${detail ? html` <span class="hint">(${detail})</span>` : ''}</li>`;
})}
</ol>`
}`,
  });
}
