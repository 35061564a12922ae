/**
 * The raw baselines' workflows: the least a Temporal workflow can do for each path Tandem
 * measures, run by bench/support/baseline-worker.ts on its own task queue.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './baseline-activities.ts';

const { sendTwoMessages, noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '2 minutes' });

export const wakeSignal = defineSignal('wake');

/** Roster-to-first-email baseline: one activity sending a pair's two first messages. */
export async function baselineFirstMessages(pair: number): Promise<void> {
  await sendTwoMessages(pair);
}

/** Wake-up baseline: waits for a signal, then runs one no-op activity. */
export async function baselineWakeOnSignal(): Promise<void> {
  let woken = false;
  setHandler(wakeSignal, () => void (woken = true));
  await condition(() => woken);
  await noop();
}
