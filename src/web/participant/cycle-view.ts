/**
 * Reading the cycle's live state for a page (check-in windows, the meeting) through the
 * workflow's query. Pages that need it say so plainly when Temporal cannot be reached.
 */
import { queryCycleView } from '../../cycles/cycle-updates.ts';
import type { CycleView, StepView } from '../../workflows/definitions.ts';
import type { ActionContext } from './action-module.ts';

/** The view of the link's own year only: a link of last year must not read this year's steps. */
export function readCycleView(ctx: ActionContext): Promise<CycleView | null> {
  return queryCycleView(ctx.temporal, ctx.cycle.workflowId, ctx.cycle.id);
}

export function stepOf(view: CycleView | null, id: string | undefined): StepView | null {
  return view?.steps.find((s) => s.id === id) ?? null;
}
