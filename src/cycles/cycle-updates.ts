/**
 * Talking to a running cycle from outside its workflow: every Update and Query goes through
 * here, with one deadline, one update-id rule and one reading of the answer, so pages, the
 * people module and activities cannot drift apart. Pages turn the typed result into words.
 *
 * Update id: `<update name>:<key>`. A caller that can be asked twice for the same thing (a link
 * used again, a repeated submit) passes a key derived from it, so Temporal applies it at most
 * once; without a key the id is fresh. When the answer does not come by UPDATE_DEADLINE_MS (a
 * busy or stopped worker) or Temporal cannot be reached, the Update may still be applied, so
 * its outcome is looked up by that id before answering "unknown".
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { cycleViewQuery, type CycleView } from '../workflows/definitions.ts';

export const UPDATE_DEADLINE_MS = 15_000;
/** How long a slow Update's outcome is then asked for by its id. */
export const LOOKUP_DEADLINE_MS = 3_000;
export const QUERY_DEADLINE_MS = 10_000;

/** A Temporal client, or how to get one (a page connects lazily; connecting may fail). */
export type TemporalAccess = Client | (() => Promise<Client>);

/**
 * accepted — the workflow applied it; rejected — its validator refused, with the reason (null
 * when it gave none), and nothing entered history; not-found — no such workflow is running;
 * unknown — no answer in time, even when asked by the Update's id: it may still be applied.
 */
export type CycleUpdateResult<Ret> =
  { outcome: 'accepted'; result: Ret } | { outcome: 'rejected'; reason: string | null } | { outcome: 'not-found' } | { outcome: 'unknown' };

export function cycleUpdateId(definition: { name: string }, key: string = randomUUID()): string {
  return `${definition.name}:${key}`;
}

function clientOf(temporal: TemporalAccess): Promise<Client> {
  return typeof temporal === 'function' ? temporal() : Promise.resolve(temporal);
}

/** A settled answer read from an error, or null when the error says nothing about the outcome. */
function settledBy(error: unknown): CycleUpdateResult<never> | null {
  if (error instanceof WorkflowUpdateFailedError) return { outcome: 'rejected', reason: (error.cause as Error | undefined)?.message || null };
  if (error instanceof WorkflowNotFoundError) return { outcome: 'not-found' };
  return null;
}

async function lookUp<Ret>(client: Client, handle: WorkflowHandle, updateId: string): Promise<CycleUpdateResult<Ret>> {
  try {
    const result = await client.withDeadline(Date.now() + LOOKUP_DEADLINE_MS, () => handle.getUpdateHandle<Ret>(updateId).result());
    return { outcome: 'accepted', result };
  } catch (error) {
    return settledBy(error) ?? { outcome: 'unknown' };
  }
}

/** Sends one Update to the cycle's workflow and reads its answer; never throws. */
export async function sendCycleUpdate<Ret, Arg>(
  temporal: TemporalAccess,
  workflowId: string,
  definition: UpdateDefinition<Ret, [Arg], string>,
  arg: Arg,
  options: { key?: string } = {},
): Promise<CycleUpdateResult<Ret>> {
  const updateId = cycleUpdateId(definition, options.key);
  let client: Client;
  try {
    client = await clientOf(temporal);
  } catch {
    // Not reached at all: nothing was sent now, but an earlier send with the same key may have been.
    return { outcome: 'unknown' };
  }
  const handle = client.workflow.getHandle(workflowId);
  try {
    const result = await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => handle.executeUpdate(definition, { args: [arg], updateId }));
    return { outcome: 'accepted', result };
  } catch (error) {
    return settledBy(error) ?? (await lookUp<Ret>(client, handle, updateId));
  }
}

/**
 * The cycle's live view, or null when Temporal cannot answer in time or the workflow has moved
 * on to another year (the workflow id outlives a year by continue-as-new).
 */
export async function queryCycleView(temporal: TemporalAccess, workflowId: string, cycleId?: string): Promise<CycleView | null> {
  try {
    const client = await clientOf(temporal);
    const view = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(workflowId).query(cycleViewQuery));
    return cycleId === undefined || view.cycleId === cycleId ? view : null;
  } catch {
    return null;
  }
}

/** Whether the cycle's workflow is running (false when there is none). */
export async function isCycleRunning(client: Client, workflowId: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
