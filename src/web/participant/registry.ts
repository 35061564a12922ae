/**
 * Which module draws and performs each action (contract: action-module.ts). To add or
 * replace an action, write ./actions/<act>.ts and list it here; its `fields` join the POST
 * body schema automatically. Actions without an entry (calendar-feed, coordinator-login)
 * are not pages under /a/.
 */
import type { Action } from '../../security/action-tokens.ts';
import type { ActionModule, FieldSchema } from './action-module.ts';
import { giveFeedback } from './actions/give-feedback.ts';
import { readFeedbackPage } from './actions/read-feedback.ts';
import { shareExpectations } from './actions/share-expectations.ts';

export const ACTION_MODULES: Partial<Record<Action, ActionModule>> = {
  'share-expectations': shareExpectations,
  'give-feedback': giveFeedback,
  'read-feedback': readFeedbackPage,
};

/** The POST body schema: every module's fields (strings from an HTML form); anything else is refused. */
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
