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
 * - no answer by UPDATE_DEADLINE_MS (a busy or stopped worker), or Temporal unreachable: the
 *   Update may still be applied, so before answering the page asks Temporal for the outcome
 *   of that Update id. Found, it is the answer. Still unknown, the page says exactly that —
 *   never that it failed — and keeps the saved row's id (pending_action_saves), so the same
 *   link sent again reuses it instead of saving a second version.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { CycleView } from '../../workflows/definitions.ts';
import type { ActionContext, Submission } from './action-module.ts';

export const UPDATE_DEADLINE_MS = 15_000;
/** How long the page then spends asking for the outcome by the Update's id. */
export const LOOKUP_DEADLINE_MS = 3_000;

/** The page's words when the outcome is not known: true, and what to do. */
export const OUTCOME_UNKNOWN =
  'We could not confirm yet whether this was recorded: the mentoring system is slow to answer right now, and it may still go through in the next few minutes. Nothing was lost. To check, open this same link again later, or send the form again with it: it cannot be recorded twice.';

export type UpdateResult = { ok: true; view: CycleView } | { ok: false; rejected: string } | { ok: false; unknown: string };

function rejectionOf(error: unknown): UpdateResult | null {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause as Error | undefined;
    return { ok: false, rejected: cause?.message || 'The mentoring cycle did not accept this action.' };
  }
  if (error instanceof WorkflowNotFoundError) return { ok: false, rejected: 'This mentoring year is no longer running, so nothing more can be recorded for it.' };
  return null;
}

/** The outcome of an Update that did not answer in time, asked for by its id. */
async function lookUp(client: Client, handle: WorkflowHandle, updateId: string): Promise<UpdateResult> {
  try {
    const view = await client.withDeadline(Date.now() + LOOKUP_DEADLINE_MS, () => handle.getUpdateHandle<CycleView>(updateId).result());
    return { ok: true, view };
  } catch (error) {
    return rejectionOf(error) ?? { ok: false, unknown: OUTCOME_UNKNOWN };
  }
}

export async function runUpdate<Arg>(ctx: ActionContext, definition: UpdateDefinition<CycleView, [Arg], string>, arg: Arg): Promise<UpdateResult> {
  const updateId = `${definition.name}:${ctx.claims.jti}`;
  let client: Client;
  try {
    client = await ctx.temporal();
  } catch {
    // Not reached at all: nothing was sent, but a first attempt with this link may have been.
    return { ok: false, unknown: OUTCOME_UNKNOWN };
  }
  const handle = client.workflow.getHandle(ctx.cycle.workflowId);
  try {
    const view = await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => handle.executeUpdate(definition, { args: [arg], updateId }));
    return { ok: true, view };
  } catch (error) {
    return rejectionOf(error) ?? (await lookUp(client, handle, updateId));
  }
}

async function pendingSave<Saved>(ctx: ActionContext): Promise<Saved | null> {
  const row = await ctx.db.selectFrom('pending_action_saves').select('saved').where('jti', '=', ctx.claims.jti).executeTakeFirst();
  return row ? (row.saved as Saved) : null;
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
  const earlier = await pendingSave<Saved>(ctx);
  const saved = earlier ?? (await steps.save());
  const result = await steps.update(saved);
  const settle = () => ctx.db.deleteFrom('pending_action_saves').where('jti', '=', ctx.claims.jti).execute();
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
    await ctx.db.insertInto('pending_action_saves').values({ jti: ctx.claims.jti, saved: JSON.stringify(saved) }).onConflict((oc) => oc.column('jti').doNothing()).execute();
  }
  return { status: 'unknown', reason: result.unknown };
}
