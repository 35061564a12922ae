/**
 * The dashboard's filters (query parameters), one definition for the schema that validates
 * them, the form that shows them, and the query that applies them.
 */
import type { FastifySchemaValidationError } from 'fastify';
import type { Policy } from '../../domain/policy.ts';
import { checkInLabel, checkInNumber, checkInStepId } from '../../domain/step-id.ts';
import type { CycleFilters } from '../../stores/dashboard-store.ts';

export const STATES = ['open', 'all', 'stalled', 'running', 'paused', 'completed', 'ended'] as const;
export type StateFilter = (typeof STATES)[number];
export const STATE_LABELS: Record<StateFilter, string> = {
  open: 'Open (not finished)',
  all: 'All',
  stalled: 'Stalled',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  ended: 'Ended',
};

export const PAGE_SIZE = 50;
export const MAX_PAGE = 10_000;

export interface DashboardFilters extends CycleFilters {
  state: StateFilter;
  page: number;
}

/** The steps of a year in order, as the workflow names them ("check-in-2"). */
export function stagesOf(policy: Pick<Policy, 'stages'>): string[] {
  const steps = ['expectations'];
  policy.stages.checkIns.forEach((_, i) => {
    steps.push(checkInStepId(i + 1));
    if (i + 1 === policy.stages.trainingGoalsWithCheckIn) steps.push('training-goals');
  });
  steps.push('feedback', 'evaluation');
  return steps;
}

export function stageLabel(step: string | null): string {
  if (!step) return '—';
  const checkIn = checkInNumber(step);
  if (checkIn !== null) return checkInLabel(checkIn);
  return { expectations: 'Expectations', 'training-goals': 'Training goals', feedback: 'Feedback', evaluation: 'Evaluation' }[step] ?? step;
}

export function filtersQuerySchema(policy: Pick<Policy, 'stages'>) {
  return {
    type: 'object',
    properties: {
      // No control characters (a NUL would otherwise reach Postgres and come back as its own error).
      program: { type: 'string', maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]*$', description: "Exact program name, e.g. 'PhD Biology'" },
      mentor: {
        type: 'string',
        maxLength: 254,
        anyOf: [{ const: '' }, { pattern: '^[^\\s@\\u0000-\\u001f\\u007f]+@[^\\s@\\u0000-\\u001f\\u007f]+$' }],
        description: "The mentor's email address",
      },
      stage: { type: 'string', enum: ['', ...stagesOf(policy)], description: 'The step a cycle is on' },
      state: { type: 'string', enum: [...STATES], default: 'open' },
      page: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 },
    },
  } as const;
}

export interface RawFilters {
  program?: string;
  mentor?: string;
  stage?: string;
  state?: string;
  page?: number | string;
}

export function normalizeFilters(raw: RawFilters): DashboardFilters {
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  return {
    program: blank(raw.program),
    mentor: blank(raw.mentor)?.toLowerCase(),
    stage: blank(raw.stage),
    state: (STATES as readonly string[]).includes(raw.state ?? '') ? (raw.state as StateFilter) : 'open',
    page: Number.isInteger(Number(raw.page)) && Number(raw.page) >= 1 ? Math.min(Number(raw.page), MAX_PAGE) : 1,
  };
}

/** "state: must be one of open, all, …": the field and the reason, for the page. */
export function describeFilterError(errors: FastifySchemaValidationError[] | undefined, policy: Pick<Policy, 'stages'>): string {
  const first = errors?.[0];
  if (!first) return 'The filters are not valid.';
  const field = first.instancePath.replace(/^\//, '') || 'filters';
  const reasons: Record<string, string> = {
    program: 'must be at most 200 characters of plain text (no control characters)',
    mentor: "must be the mentor's email address, like name@example.edu",
    stage: `must be one of ${stagesOf(policy).join(', ')}`,
    state: `must be one of ${STATES.join(', ')}`,
    page: `must be a whole number from 1 to ${MAX_PAGE}`,
  };
  return `${field}: ${reasons[field] ?? first.message ?? 'is not valid'}`;
}

/** Query string for links that keep the current filters. */
export function filtersQuery(filters: DashboardFilters, overrides: Partial<DashboardFilters> = {}): string {
  const f = { ...filters, ...overrides };
  const params = new URLSearchParams();
  if (f.program) params.set('program', f.program);
  if (f.mentor) params.set('mentor', f.mentor);
  if (f.stage) params.set('stage', f.stage);
  if (f.state !== 'open') params.set('state', f.state);
  if (f.page > 1) params.set('page', String(f.page));
  const s = params.toString();
  return s ? `?${s}` : '';
}
