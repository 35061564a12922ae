/**
 * Reading the cycle's live state for a page (check-in windows, the meeting) through the
 * workflow's query. Pages that need it say so plainly when Temporal cannot be reached.
 */
import { cycleViewQuery, type CycleView, type StepView } from '../../workflows/definitions.ts';
import type { ActionContext } from './action-module.ts';

const QUERY_DEADLINE_MS = 10_000;

export async function readCycleView(ctx: ActionContext): Promise<CycleView | null> {
  try {
    const client = await ctx.temporal();
    const view = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(ctx.cycle.workflowId).query(cycleViewQuery));
    // The workflow id outlives a year (continue-as-new): a link of last year must not read this year's steps.
    return view.cycleId === ctx.cycle.id ? view : null;
  } catch {
    return null;
  }
}

export function stepOf(view: CycleView | null, id: string | undefined): StepView | null {
  return view?.steps.find((s) => s.id === id) ?? null;
}
