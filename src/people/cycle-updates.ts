/**
 * Sending one person's change to each of their live cycles as an Update. Each Update is keyed
 * by the change, so a repeated submit reaches a workflow that already applied it as the same
 * Update, not a second one. A cycle that refuses (say, it is already paused by the partner)
 * or cannot be reached is reported, not hidden.
 */
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { sendCycleUpdate } from '../cycles/cycle-updates.ts';
import type { CycleView } from '../workflows/definitions.ts';

export type CycleUpdateOutcome = { cycleId: string; ok: true } | { cycleId: string; ok: false; reason: string };

export async function updateEachCycle<Arg>(
  temporal: () => Promise<Client>,
  cycles: { id: string; workflowId: string; arg: Arg }[],
  definition: UpdateDefinition<CycleView, [Arg], string>,
  changeKey: string,
): Promise<CycleUpdateOutcome[]> {
  const outcomes: CycleUpdateOutcome[] = [];
  for (const c of cycles) {
    const sent = await sendCycleUpdate(temporal, c.workflowId, definition, c.arg, { key: `${changeKey}:${c.id}` });
    if (sent.outcome === 'accepted') outcomes.push({ cycleId: c.id, ok: true });
    else
      outcomes.push({
        cycleId: c.id,
        ok: false,
        reason: sent.outcome === 'rejected' ? (sent.reason ?? 'refused') : 'the mentoring system could not be reached',
      });
  }
  return outcomes;
}
