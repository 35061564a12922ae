/**
 * A placeholder for an action whose page is not built yet (give-feedback, read-feedback):
 * the link is valid, so say so plainly, burn nothing, accept nothing. Replace the registry
 * entry with the real module (see ../action-module.ts).
 */
import type { Action } from '../../../security/action-tokens.ts';
import { html } from '../../html.ts';
import type { ActionModule } from '../action-module.ts';
import { coordinatorContact } from '../pages.ts';

export function notAvailableYet(act: Action, what: string): ActionModule {
  return {
    act,
    roles: ['mentor', 'mentee'],
    singleUse: false,
    pageStatus: 501,
    fields: {},
    title: () => `${what[0]!.toUpperCase()}${what.slice(1)} is not available yet`,
    async render(ctx) {
      return html`<div class="notice"><p>This page is not available yet: you cannot ${what} online at the moment. Your link is fine and nothing was recorded.</p>
<p>If this cannot wait, write to ${coordinatorContact(ctx.coordinators)}.</p></div>`;
    },
    async submit() {
      return { status: 'rejected', reason: `You cannot ${what} online yet.` };
    },
    describeUse: () => html``,
  };
}
