/**
 * The coordinator's actions on one cycle, each a workflow Update (the workflow decides;
 * a rejection comes back with its reason for the page). Inputs carry ids and states only.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Policy } from '../../domain/policy.ts';
import { zonedTimeToInstant } from '../../domain/zoned-time.ts';
import * as defs from '../../workflows/definitions.ts';
import type { mentoringCycle } from '../../workflows/mentoring-cycle.ts';
import { END_REASONS, PAUSE_REASONS } from './cycle-page.ts';

export const CYCLE_ACTIONS = ['nudge', 'snooze', 'resolve', 'pause', 'resume', 'end'] as const;
export type CycleAction = (typeof CYCLE_ACTIONS)[number];

export interface ActionForm {
  confirm?: string;
  step?: string;
  until?: string;
  reason?: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Body schema of each action's form (all include `_csrf`). */
export const ACTION_BODY_SCHEMAS: Record<CycleAction, object> = {
  nudge: stepBody(),
  resolve: stepBody(),
  snooze: stepBody({ until: { type: 'string', pattern: DATE.source, description: 'YYYY-MM-DD, in the policy time zone' } }, ['until']),
  pause: body({ reason: { type: 'string', enum: [...PAUSE_REASONS] }, until: { type: 'string', anyOf: [{ const: '' }, { pattern: DATE.source }] } }, ['reason']),
  resume: body({}),
  // Ending is final: the form must carry the ticked confirmation.
  end: body({ reason: { type: 'string', enum: [...END_REASONS] }, confirm: { type: 'string', const: 'yes' } }, ['reason', 'confirm']),
};

function body(properties: Record<string, object>, required: string[] = []): object {
  return { type: 'object', required: ['_csrf', ...required], properties: { _csrf: { type: 'string', maxLength: 200 }, ...properties }, additionalProperties: false };
}
function stepBody(properties: Record<string, object> = {}, required: string[] = []): object {
  return body({ step: { type: 'string', pattern: '^[a-z0-9-]{1,40}$', description: 'The step shown on the page when the form was sent' }, ...properties }, ['step', ...required]);
}

/** A form date as the instant 09:00 that day in the department's zone (a working morning). */
export function dateToInstant(value: string, zone: string): string | null {
  const m = DATE.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return new Date(zonedTimeToInstant({ year, month, day }, 9, 0, zone)).toISOString();
}

export type ActionOutcome = { ok: true } | { ok: false; status: number; reason: string };

export async function performCycleAction(
  client: Client,
  options: { workflowId: string; coordinatorId: string; policy: Pick<Policy, 'defaultTimeZone'> },
  action: CycleAction,
  form: ActionForm,
): Promise<ActionOutcome> {
  const actor: defs.Coordinator = { role: 'coordinator', coordinatorId: options.coordinatorId };
  const zone = options.policy.defaultTimeZone;
  const handle = client.workflow.getHandle<typeof mentoringCycle>(options.workflowId);
  const step = form.step ?? '';
  try {
    switch (action) {
      case 'nudge':
        await handle.executeUpdate(defs.nudgeUpdate, { args: [{ actor, step }] });
        break;
      case 'resolve':
        await handle.executeUpdate(defs.resolveStepUpdate, { args: [{ actor, step }] });
        break;
      case 'snooze': {
        const until = dateToInstant(form.until ?? '', zone);
        if (!until) return { ok: false, status: 400, reason: 'until: must be a date, like 2026-12-01.' };
        await handle.executeUpdate(defs.snoozeEscalationUpdate, { args: [{ actor, step, until }] });
        break;
      }
      case 'pause': {
        const until = form.until ? dateToInstant(form.until, zone) : undefined;
        if (until === null) return { ok: false, status: 400, reason: 'until: must be a date, like 2026-12-01, or empty.' };
        await handle.executeUpdate(defs.pauseCycleUpdate, { args: [{ actor, reason: form.reason as defs.PauseReason, ...(until ? { until } : {}) }] });
        break;
      }
      case 'resume':
        await handle.executeUpdate(defs.resumeCycleUpdate, { args: [{ actor }] });
        break;
      case 'end':
        await handle.executeUpdate(defs.endPairUpdate, { args: [{ actor, reason: form.reason as defs.EndReason }] });
        break;
    }
    return { ok: true };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return { ok: false, status: 409, reason: (error.cause as Error | undefined)?.message ?? 'The cycle refused this action.' };
    if (error instanceof WorkflowNotFoundError) return { ok: false, status: 409, reason: 'This cycle is no longer running in Tandem.' };
    throw error;
  }
}
