/**
 * The order a delivery batch keeps (pure logic, fake ports): each person's notices in the order
 * of their transitions, each check-in's revisions in order, and those chains side by side; a
 * failure is raised only once every send of the batch has settled.
 */
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { createEffectActivities, createInPassDelivery, sendWithinBudget, type EffectPorts } from '../../src/activities/effects.ts';
import type { CheckInInviteRequest, NotificationRequest } from '../../src/activities/types.ts';
import type { PairContext } from '../../src/activities/pair-context.ts';

const cycleId = '00000000-0000-4000-8000-000000000001';
const pair = { mentor: { name: 'A' }, mentee: { name: 'B' } } as unknown as PairContext;
const notice = (kind: string, sequence: number): NotificationRequest =>
  ({ cycleId, step: 'check-in-1', kind, sequence, audience: ['mentor', 'mentee'], facts: {} }) as NotificationRequest;
const invite = (step: string, revision: number, method: 'REQUEST' | 'CANCEL' = 'REQUEST'): CheckInInviteRequest => ({
  cycleId,
  step,
  method,
  startsAt: '2026-10-01T15:00:00.000Z',
  endsAt: '2026-10-01T16:00:00.000Z',
  revision,
});

/** Ports whose sends each take one tick per call and log when they start and end. */
function recordingPorts(failing?: string) {
  const log: string[] = [];
  let pairReads = 0;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
  const send = (name: string) => async () => {
    log.push(`start ${name}`);
    await tick();
    log.push(`end ${name}`);
    if (name === failing) throw new Error(`${name} failed`);
  };
  const ports: EffectPorts = {
    db: {} as Kysely<Database>,
    loadPair: async () => {
      pairReads++;
      return pair;
    },
    recordCheckInInvite: async () => {},
    sendNotification: (n, p) => (expect(p).toBe(pair), send(`${n.kind}#${n.sequence}`)()),
    sendCheckInInvite: (i, p) => (expect(p).toBe(pair), send(`${i.step}/${i.method}@${i.revision}`)()),
  };
  return { ports, log, pairReads: () => pairReads };
}

describe('deliverEffects', () => {
  it('keeps notices and each check-in’s revisions in order, sends the chains side by side, and reads the pair once', async () => {
    const { ports, log, pairReads } = recordingPorts();
    await createEffectActivities(ports).deliverEffects({
      cycleId,
      notifications: [notice('check-in-window-open', 0), notice('step-reminder', 1)],
      invites: [invite('check-in-1', 1, 'CANCEL'), invite('check-in-2', 0), invite('check-in-1', 2)],
    });
    const at = (entry: string) => log.indexOf(entry);
    // In order within a chain.
    expect(at('end check-in-window-open#0')).toBeLessThan(at('start step-reminder#1'));
    expect(at('end check-in-1/CANCEL@1')).toBeLessThan(at('start check-in-1/REQUEST@2'));
    // Side by side across chains: all three first sends start before any ends.
    const firstEnd = log.findIndex((e) => e.startsWith('end'));
    for (const first of ['check-in-window-open#0', 'check-in-1/CANCEL@1', 'check-in-2/REQUEST@0']) expect(at(`start ${first}`)).toBeLessThan(firstEnd);
    expect(log.filter((e) => e.startsWith('end'))).toHaveLength(5);
    expect(pairReads()).toBe(1);
  });

  it('raises a failure only after every other send of the batch has settled', async () => {
    const { ports, log } = recordingPorts('check-in-2/REQUEST@0');
    await expect(
      createEffectActivities(ports).deliverEffects({
        cycleId,
        notifications: [notice('check-in-window-open', 0), notice('step-reminder', 1)],
        invites: [invite('check-in-2', 0)],
      }),
    ).rejects.toThrow('check-in-2/REQUEST@0 failed');
    expect(log.at(-1)).toBe('end step-reminder#1');
  });

  it('reads nothing when there is nothing to send', async () => {
    const { ports, pairReads } = recordingPorts();
    await createEffectActivities(ports).deliverEffects({ cycleId, notifications: [], invites: [] });
    expect(pairReads()).toBe(0);
  });
});

describe('a pass delivering its own mail (sendWithinBudget)', () => {
  it('answers "delivered" (no hand-over) when the sends finish inside the budget', async () => {
    let sent = false;
    const handOver = await sendWithinBudget(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      sent = true;
    }, 1_000);
    expect(handOver).toBeNull();
    expect(sent).toBe(true);
  });

  it('hands over at the budget and lets the sends under way finish on their own', async () => {
    let release!: () => void;
    let finished = false;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The send waits until released: if sendWithinBudget waited for it, this test would time out.
    const handOver = await sendWithinBudget(async () => {
      await held;
      finished = true;
    }, 20);
    expect(handOver).toEqual({ acceptedOutboxIds: [] });
    // Not abandoned: the send keeps its outbox claim and completes, so the hand-over finds it done.
    expect(finished).toBe(false);
    release();
    await held;
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(true);
  });

  it('hands over a failure instead of raising it: the delivery activity retries it', async () => {
    await expect(sendWithinBudget(() => Promise.reject(new Error('relay down')), 1_000)).resolves.toEqual({ acceptedOutboxIds: [] });
  });
});

describe('a worker’s in-pass delivery while the relay looks slow (createInPassDelivery)', () => {
  it('hands the next passes straight over for a while after one was held past its budget, then tries again', async () => {
    let clock = 1_000;
    const deliverInPass = createInPassDelivery({ budgetMs: 10, slowForMs: 5_000, now: () => clock });
    const sends: string[] = [];
    const fast = (name: string) => async () => void sends.push(name);
    expect(await deliverInPass(fast('first'))).toBeNull();
    // Held at the relay: handed over at the budget.
    expect(await deliverInPass(() => new Promise<void>(() => sends.push('held')))).toEqual({ acceptedOutboxIds: [] });
    // While the relay looks slow, a pass does not even try: nothing waits its budget out.
    clock += 4_999;
    expect(await deliverInPass(fast('skipped'))).toEqual({ acceptedOutboxIds: [] });
    clock += 1;
    expect(await deliverInPass(fast('again'))).toBeNull();
    expect(sends).toEqual(['first', 'held', 'again']);
  });
});
