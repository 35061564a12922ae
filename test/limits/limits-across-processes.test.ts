/**
 * Limits that are the department's, not a process's: two worker processes and two web
 * processes (separate children, each with its own pools), against one Postgres and one
 * Temporal. The relay's rate and the sign-in limit hold in total.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { enrollTestPair } from '../support/cycle.ts';
import { makeStaff } from '../web/dashboard-support.ts';
import { childProcessDir, childProcessEnv, startTandemProcess, type Child } from '../support/child-process.ts';

// Low enough that the workers, even on a busy machine, produce messages faster than this: the relay limit is what paces them.
const RATE = 1;
const PAIRS = 24;
/** Arrivals left out of the span: each opens one of the pools' SMTP connections (3 per process), which delays it by the handshake. */
const WARM_UP = 6;

let stack: TestStack;
let dir: string;
const children: Child[] = [];

function processEnv(extra: Record<string, string> = {}): Record<string, string> {
  return childProcessEnv(stack, dir, { SMTP_RATE_PER_SECOND: String(RATE), SMTP_MAX_CONNECTIONS: '3', ...extra });
}

beforeAll(async () => {
  stack = await startTestStack();
  // The cycles run on the child workers only.
  await stack.stopWorker();
  dir = childProcessDir(stack);
  const started = await Promise.all([
    startTandemProcess('worker', processEnv({ MAIL_FROM: 'Mentoring <worker-one@biology.example.edu>' })),
    startTandemProcess('worker', processEnv({ MAIL_FROM: 'Mentoring <worker-two@biology.example.edu>' })),
    startTandemProcess('web', processEnv({ MAIL_FROM: 'Mentoring <web-one@biology.example.edu>' })),
    startTandemProcess('web', processEnv({ MAIL_FROM: 'Mentoring <web-two@biology.example.edu>' })),
  ]);
  children.push(...started);
}, 120_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('limits across processes', () => {
  it('two workers together send no faster than SMTP_RATE_PER_SECOND, and both send', async () => {
    const before = stack.mail.messages.length;
    const cycles = await Promise.all(Array.from({ length: PAIRS }, () => enrollTestPair(stack)));
    const mentors = new Set(cycles.map((c) => c.mentorEmail));
    const caught = await stack.mail.waitFor((all) => all.slice(before).filter((m) => m.envelopeTo.some((to) => mentors.has(to))).length >= PAIRS, 120_000);
    const sent = caught.slice(before).filter((m) => m.envelopeTo.some((to) => mentors.has(to)));
    const senders = new Set(sent.map((m) => m.envelopeFrom));
    expect(senders).toEqual(new Set(['worker-one@biology.example.edu', 'worker-two@biology.example.edu']));
    // Paced in one row for all processes: n messages span at least (n - 1) slots of 1/RATE s.
    // Paced per process, two workers would take half that or less. (A lower bound: a slow machine only lengthens it.)
    const times = sent
      .map((m) => m.receivedAt.getTime())
      .sort((a, b) => a - b)
      .slice(WARM_UP);
    const spanMs = times.at(-1)! - times[0]!;
    const slotsMs = ((times.length - 1) * 1000) / RATE;
    expect(spanMs).toBeGreaterThanOrEqual(slotsMs * 0.8);
  }, 180_000);

  it('the sign-in limit per address holds in total across two web processes', async () => {
    const staff = await makeStaff(stack);
    const ports = children.filter((c) => typeof c.ready.port === 'number' && c.ready.port > 0).map((c) => c.ready.port as number);
    expect(ports).toHaveLength(2);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`http://127.0.0.1:${ports[i % 2]}/login`, {
        method: 'POST',
        headers: { origin: 'http://tandem.test', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: staff.email }),
      });
      statuses.push(response.status);
    }
    // Five requests per address per 15 minutes (login-routes.ts), not five per process.
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  }, 60_000);
});
