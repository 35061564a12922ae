/**
 * Sending a participant's action to the cycle's workflow as an Update, and what the page
 * does when it cannot.
 *
 * Order: what the person typed is saved to Postgres first, then the Update goes out with its
 * row's id. Three endings:
 * - accepted: done.
 * - rejected by the workflow's validator: nothing entered history, so the saved row is undone
 *   (it would otherwise look like the latest version, e.g. of the expectations that invites
 *   read) and the form is shown again with what they typed and the validator's reason.
 * - Temporal unreachable (or slower than UPDATE_DEADLINE_MS): we say so honestly — "saved,
 *   not yet applied; use the same link again" — and keep the saved row, so their text is
 *   in Postgres and the form comes back filled in. We do not promise to apply it later: no
 *   background job owns that, and a claim the software cannot keep is worse than an honest
 *   "try again". The Update's id is the link's `jti`, so a retry (or a double click) that
 *   reaches a workflow which already applied it gets that result instead of acting twice.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { CycleView } from '../../workflows/definitions.ts';
import type { ActionContext, Submission } from './action-module.ts';

export const UPDATE_DEADLINE_MS = 15_000;

export type UpdateResult = { ok: true; view: CycleView } | { ok: false; rejected: string } | { ok: false; unavailable: string };

export async function runUpdate<Arg>(ctx: ActionContext, definition: UpdateDefinition<CycleView, [Arg], string>, arg: Arg): Promise<UpdateResult> {
  try {
    const client = await ctx.temporal();
    const handle = client.workflow.getHandle(ctx.cycle.workflowId);
    const view = await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => handle.executeUpdate(definition, { args: [arg], updateId: `${definition.name}:${ctx.claims.jti}` }));
    return { ok: true, view };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause as Error | undefined;
      return { ok: false, rejected: cause?.message || 'The mentoring cycle did not accept this action.' };
    }
    if (error instanceof WorkflowNotFoundError) return { ok: false, rejected: 'This mentoring year is no longer running, so nothing more can be recorded for it.' };
    return { ok: false, unavailable: 'The mentoring system could not be reached just now.' };
  }
}

/**
 * Saves, sends the Update, and undoes the save if the workflow refused it. `outcome` and
 * `message` describe success (outcome is stored on the used link).
 */
export async function saveThenUpdate<Saved>(
  ctx: ActionContext,
  steps: {
    save: () => Promise<Saved>;
    update: (saved: Saved) => Promise<UpdateResult>;
    undo: (saved: Saved) => Promise<void>;
    done: (saved: Saved, view: CycleView) => Extract<Submission, { status: 'done' }>;
  },
): Promise<Submission> {
  const saved = await steps.save();
  const result = await steps.update(saved);
  if (result.ok) return steps.done(saved, result.view);
  if ('rejected' in result) {
    await steps.undo(saved);
    return { status: 'rejected', reason: result.rejected };
  }
  return { status: 'unavailable', reason: `${result.unavailable} What you wrote is saved, but it has not reached your ${ctx.partner.role} yet. Please send it again in a few minutes with this same link.` };
}
