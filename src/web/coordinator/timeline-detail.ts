/**
 * A timeline event's detail in words a coordinator reads: dates in the department's zone,
 * rungs by name, durations in days or hours; internal ids, run ids and counters left out.
 * Details hold states and ids only (never what a person typed), so all of it may be shown.
 */
import { dateTimeText, RUNG_LABELS } from './display.ts';

const HIDDEN = new Set(['run', 'index', 'n', 'revision']);
const KEY_LABELS: Record<string, string> = {
  dueAt: 'due',
  pausedForMs: 'paused for',
  cadenceDays: 'meets every (days)',
  academicYear: 'academic year',
  until: 'until',
  by: 'by',
};
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

function valueText(key: string, value: string | number | boolean, zone: string): string {
  if (key === 'pausedForMs' && typeof value === 'number') return duration(value);
  if (key === 'rung' && typeof value === 'string') return RUNG_LABELS[value] ?? value;
  if (typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return dateTimeText(new Date(value), zone);
  // Workflow words are kebab-case ("resolved-by-coordinator", "lab-change").
  return typeof value === 'string' ? value.replace(/-/g, ' ') : String(value);
}

export function timelineDetailText(detail: Record<string, unknown>, zone: string): string {
  return Object.entries(detail)
    .filter(([k, v]) => !/id$/i.test(k) && !HIDDEN.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
    .map(([k, v]) => `${KEY_LABELS[k] ?? k.replace(/([A-Z])/g, ' $1').toLowerCase()}: ${valueText(k, v as string | number | boolean, zone)}`)
    .join(' · ');
}

const KIND_LABELS: Record<string, string> = { 'ladder-rung': 'Escalated' };

export function timelineKindText(kind: string): string {
  const words = KIND_LABELS[kind] ?? kind.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
