/**
 * The coordinator's actions on one cycle, each a workflow Update (the workflow decides;
 * a rejection comes back with its reason for the page). Inputs carry ids and states only.
 */
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { sendCycleUpdate, type CycleUpdateResult } from '../../cycles/cycle-updates.ts';
import type { Policy } from '../../domain/policy.ts';
import { zonedTimeToInstant } from '../../domain/zoned-time.ts';
import * as defs from '../../workflows/definitions.ts';
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
  pause: body({ reason: { type: 'string', enum: [...PAUSE_REASONS] }, until: { type: 'string', anyOf: [{ const: '' }, { pattern: DATE.source }] } }, [
    'reason',
  ]),
  resume: body({}),
  // Ending is final: the form must carry the ticked confirmation.
  end: body({ reason: { type: 'string', enum: [...END_REASONS] }, confirm: { type: 'string', const: 'yes' } }, ['reason', 'confirm']),
};

function body(properties: Record<string, object>, required: string[] = []): object {
  return {
    type: 'object',
    required: ['_csrf', ...required],
    properties: { _csrf: { type: 'string', maxLength: 200 }, ...properties },
    additionalProperties: false,
  };
}
function stepBody(properties: Record<string, object> = {}, required: string[] = []): object {
  return body({ step: { type: 'string', pattern: '^[a-z0-9-]{1,40}$', description: 'The step shown on the page when the form was sent' }, ...properties }, [
    'step',
    ...required,
  ]);
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
  const step = form.step ?? '';
  const send = <A>(definition: UpdateDefinition<defs.CycleView, [A], string>, arg: A) => sendCycleUpdate(client, options.workflowId, definition, arg);
  let sent: CycleUpdateResult<defs.CycleView>;
  switch (action) {
    case 'nudge':
      sent = await send(defs.nudgeUpdate, { actor, step });
      break;
    case 'resolve':
      sent = await send(defs.resolveStepUpdate, { actor, step });
      break;
    case 'snooze': {
      const until = dateToInstant(form.until ?? '', zone);
      if (!until) return { ok: false, status: 400, reason: 'until: must be a date, like 2026-12-01.' };
      sent = await send(defs.snoozeEscalationUpdate, { actor, step, until });
      break;
    }
    case 'pause': {
      const until = form.until ? dateToInstant(form.until, zone) : undefined;
      if (until === null) return { ok: false, status: 400, reason: 'until: must be a date, like 2026-12-01, or empty.' };
      sent = await send(defs.pauseCycleUpdate, { actor, reason: form.reason as defs.PauseReason, ...(until ? { until } : {}) });
      break;
    }
    case 'resume':
      sent = await send(defs.resumeCycleUpdate, { actor });
      break;
    case 'end':
      sent = await send(defs.endPairUpdate, { actor, reason: form.reason as defs.EndReason });
      break;
  }
  switch (sent.outcome) {
    case 'accepted':
      return { ok: true };
    case 'rejected':
      return { ok: false, status: 409, reason: sent.reason ?? 'The cycle refused this action.' };
    case 'not-found':
      return { ok: false, status: 409, reason: 'This cycle is no longer running in Tandem.' };
    case 'unknown':
      return {
        ok: false,
        status: 503,
        reason: 'Tandem could not confirm this with the workflow service just now; reload the page to see whether it was recorded before trying again.',
      };
  }
}
