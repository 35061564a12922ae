/**
 * Which module draws and performs each action (contract: action-module.ts). To add or
 * replace an action, write ./actions/<act>.ts and list it here; its `fields` join the POST
 * body schema automatically. Actions without an entry (calendar-feed, coordinator-login)
 * are not pages under /a/.
 */
import type { Action } from '../../security/action-tokens.ts';
import type { ActionModule, FieldSchema } from './action-module.ts';
import { checkInOutcome } from './actions/check-in-outcome.ts';
import { requestHelp } from './actions/request-help.ts';
import { respondExpectations } from './actions/respond-expectations.ts';
import { reviewGoals } from './actions/review-goals.ts';
import { scheduleCheckIn } from './actions/schedule-check-in.ts';
import { giveFeedback } from './actions/give-feedback.ts';
import { readFeedbackPage } from './actions/read-feedback.ts';
import { shareExpectations } from './actions/share-expectations.ts';
import { updateGoals } from './actions/update-goals.ts';

export const ACTION_MODULES: Partial<Record<Action, ActionModule>> = {
  'share-expectations': shareExpectations,
  'respond-expectations': respondExpectations,
  'schedule-check-in': scheduleCheckIn,
  'check-in-outcome': checkInOutcome,
  'update-goals': updateGoals,
  'review-goals': reviewGoals,
  'request-help': requestHelp,
  'give-feedback': giveFeedback,
  'read-feedback': readFeedbackPage,
};

/** The POST body schema: every module's fields (strings from an HTML form); other fields are dropped by the validator. */
export function bodySchemaOf(modules: ActionModule[]): object {
  const properties: Record<string, FieldSchema> = {};
  for (const m of modules) {
    for (const [name, schema] of Object.entries(m.fields)) {
      const seen = properties[name];
      // Two pages may share a field name; the looser length wins and any enum is dropped (the module checks its own).
      properties[name] = seen ? { type: 'string', maxLength: Math.max(seen.maxLength, schema.maxLength) } : schema;
    }
  }
  const patternProperties = Object.assign({}, ...modules.map((m) => m.fieldPatterns ?? {})) as Record<string, FieldSchema>;
  return { type: 'object', properties, ...(Object.keys(patternProperties).length ? { patternProperties } : {}), additionalProperties: false };
}
