/**
 * Sending one person's change to each of their live cycles as an Update. Each Update has an
 * id derived from the change, so a repeated submit reaches a workflow that already applied it
 * as the same Update, not a second one. A cycle that refuses (say, it is already paused by
 * the partner) or cannot be reached is reported, not hidden.
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { CycleView } from '../workflows/definitions.ts';

export type CycleUpdateOutcome = { cycleId: string; ok: true } | { cycleId: string; ok: false; reason: string };

const DEADLINE_MS = 15_000;

export async function updateEachCycle<Arg>(
  temporal: () => Promise<Client>,
  cycles: { id: string; workflowId: string; arg: Arg }[],
  definition: UpdateDefinition<CycleView, [Arg], string>,
  updateId: string,
): Promise<CycleUpdateOutcome[]> {
  const outcomes: CycleUpdateOutcome[] = [];
  for (const c of cycles) {
    try {
      const client = await temporal();
      await client.withDeadline(Date.now() + DEADLINE_MS, () => client.workflow.getHandle(c.workflowId).executeUpdate(definition, { args: [c.arg], updateId: `${definition.name}:${updateId}:${c.id}` }));
      outcomes.push({ cycleId: c.id, ok: true });
    } catch (error) {
      const reason = error instanceof WorkflowUpdateFailedError ? ((error.cause as Error | undefined)?.message ?? 'refused') : 'the mentoring system could not be reached';
      outcomes.push({ cycleId: c.id, ok: false, reason });
    }
  }
  return outcomes;
}
