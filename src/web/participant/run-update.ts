/**
 * Sending a participant's action to the cycle's workflow as an Update, and what the page
 * says when the answer is slow.
 *
 * Order: what the person typed is saved to Postgres first, then the Update goes out with its
 * row's id. The Update's id is `<update>:<link jti>`, so the same link used again (a second
 * submit, a double click) names the same Update, which Temporal applies at most once. Endings:
 * - accepted: done.
 * - rejected by the workflow's validator: nothing entered history, so the saved row is undone
 *   (it would otherwise look like the latest version, e.g. of the expectations that invites
 *   read) and the form is shown again with what they typed and the validator's reason.
 * - no answer in time (a busy or stopped worker), or Temporal unreachable: the Update may
 *   still be applied, so the cycle client (src/cycles/cycle-updates.ts) asks Temporal for the
 *   outcome of that Update id. Found, it is the answer. Still unknown, the page says exactly that —
 *   never that it failed — and keeps the saved row's id (pending_action_saves), so the same
 *   link sent again reuses it instead of saving a second version.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { sendCycleUpdate } from '../../cycles/cycle-updates.ts';
import { deletePendingActionSave, insertPendingActionSave, pendingActionSave } from '../../stores/participant-content-store.ts';
import type { CycleView } from '../../workflows/definitions.ts';
import type { ActionContext, Submission } from './action-module.ts';

/** The page's words when the outcome is not known: true, and what to do. */
export const OUTCOME_UNKNOWN =
  'We could not confirm yet whether this was recorded: the mentoring system is slow to answer right now, and it may still go through in the next few minutes. Nothing was lost. To check, open this same link again later, or send the form again with it: it cannot be recorded twice.';

export type UpdateResult = { ok: true; view: CycleView } | { ok: false; rejected: string } | { ok: false; unknown: string };

/** Sends the Update keyed by the link (`<update>:<link jti>`), and says the outcome in the page's words. */
export async function runUpdate<Arg>(ctx: ActionContext, definition: UpdateDefinition<CycleView, [Arg], string>, arg: Arg): Promise<UpdateResult> {
  const sent = await sendCycleUpdate(ctx.temporal, ctx.cycle.workflowId, definition, arg, { key: ctx.claims.jti });
  switch (sent.outcome) {
    case 'accepted':
      return { ok: true, view: sent.result };
    case 'rejected':
      return { ok: false, rejected: sent.reason ?? 'The mentoring cycle did not accept this action.' };
    case 'not-found':
      return { ok: false, rejected: 'This mentoring year is no longer running, so nothing more can be recorded for it.' };
    case 'unknown':
      return { ok: false, unknown: OUTCOME_UNKNOWN };
  }
}

/**
 * Saves (once per link), sends the Update, and undoes the save if the workflow refused it.
 * `outcome` and `message` describe success (outcome is stored on the used link).
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
  // A first send with this link whose outcome was unknown saved already: use that row, not a second one.
  const earlier = await pendingActionSave<Saved>(ctx.db, ctx.claims.jti);
  const saved = earlier ?? (await steps.save());
  const result = await steps.update(saved);
  const settle = () => deletePendingActionSave(ctx.db, ctx.claims.jti);
  if (result.ok) {
    if (earlier) await settle();
    return steps.done(saved, result.view);
  }
  if ('rejected' in result) {
    await steps.undo(saved);
    if (earlier) await settle();
    return { status: 'rejected', reason: result.rejected };
  }
  if (!earlier) {
    await insertPendingActionSave(ctx.db, ctx.claims.jti, saved);
  }
  return { status: 'unknown', reason: result.unknown };
}
