/** How the dashboard writes dates, states, owers and rungs, the same on every staff page. */
import { html, type Html } from '../html.ts';
import type { CycleStatus } from '../../../db/schema.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "3 Nov 2026" in the department's zone; a <time> element keeps the exact instant. */
export function dateCell(value: Date | null, zone: string): Html {
  if (!value) return html`<span class="hint">—</span>`;
  let f = formatters.get(zone);
  if (!f) formatters.set(zone, (f = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: zone })));
  return html`<time datetime="${value.toISOString()}">${f.format(value)}</time>`;
}

export function dateTimeText(value: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone: zone,
  }).format(value);
}

export const STATUS_LABELS: Record<CycleStatus, string> = { running: 'Running', paused: 'Paused', stalled: 'Stalled', completed: 'Completed', ended: 'Ended' };

export function statusBadge(status: CycleStatus): Html {
  const tone = status === 'stalled' ? 'stalled' : status === 'ended' || status === 'completed' ? 'ended' : 'active';
  return html`<span class="badge ${tone}">${STATUS_LABELS[status]}</span>`;
}

export function owedByText(owedBy: string | null): string {
  if (!owedBy) return '—';
  return { mentor: 'Mentor', mentee: 'Mentee', both: 'Both' }[owedBy] ?? owedBy;
}

export const RUNG_LABELS: Record<string, string> = {
  'remind-owner': 'Owner reminded',
  'remind-both': 'Both reminded',
  'notify-coordinator': 'Coordinator notified',
  'refer-resource': 'Referred to a resource',
};

/** The escalation rung reached: `ladder_rung` indexes the policy's ladder (0 = first rung). */
export function rungText(rung: number | null, ladder: readonly { rung: string }[]): string {
  if (rung === null) return '—';
  const name = ladder[rung]?.rung;
  return `${rung + 1} · ${name ? (RUNG_LABELS[name] ?? name) : 'beyond the ladder'}`;
}
