/**
 * /metrics and /readyz on a real worker process and a real web process: the series an
 * operator's dashboard and alerts read are there, and readiness names the dependency down.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { enrollTestPair, eventually } from '../support/cycle.ts';
import { childProcessDir, childProcessEnv, startTandemProcess, type Child } from '../support/child-process.ts';
import { freePort } from '../../src/dev/free-port.ts';

let stack: TestStack;
let dir: string;
let worker: Child;
let web: Child;
const children: Child[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return childProcessEnv(stack, dir, extra);
}

async function scrape(child: Child): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${child.ready.metricsPort as number}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

function series(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

beforeAll(async () => {
  stack = await startTestStack();
  await stack.stopWorker();
  dir = childProcessDir(stack);
  [worker, web] = await Promise.all([startTandemProcess('worker', env()), startTandemProcess('web', env())]);
  children.push(worker, web);
}, 120_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('operations port', () => {
  it("the worker's /metrics carries the SDK's series and Tandem's own", async () => {
    const cycle = await enrollTestPair(stack);
    await stack.mail.waitFor(() => stack.mail.to(cycle.mentorEmail).length > 0, 60_000);
    const text = await eventually(
      () => scrape(worker),
      (t) =>
        series(t, 'tandem_messages_sent').some((l) => /kind="expectations-requested"/.test(l)) && series(t, 'temporal_worker_task_slots_available').length > 0,
      60_000,
      'sent messages and SDK series in /metrics',
    );
    expect(series(text, 'tandem_cycles').some((l) => /stage="expectations".*status="running"|status="running".*stage="expectations"/.test(l))).toBe(true);
    for (const name of ['tandem_cycles_stalled', 'tandem_outbox_messages', 'tandem_outbox_oldest_pending_age_seconds', 'tandem_escalations', 'tandem_pairs']) {
      expect(text, name).toContain(`# TYPE ${name} gauge`);
    }
    expect(series(text, 'tandem_outbox_messages').filter((l) => /status="(pending|sending|failed)"/.test(l))).toHaveLength(3);
    expect(series(text, 'tandem_pairs').some((l) => /status="active"/.test(l) && !/ 0$/.test(l))).toBe(true);
  }, 120_000);

  it("the web process's /metrics counts requests by route pattern, never by path", async () => {
    const home = await fetch(`http://127.0.0.1:${web.ready.port as number}/`);
    expect(home.status).toBe(200);
    await fetch(`http://127.0.0.1:${web.ready.port as number}/a/not-a-token.at-all`);
    const text = await scrape(web);
    const requests = series(text, 'tandem_http_request_duration_seconds_count');
    expect(requests.some((l) => /method="GET"/.test(l) && /route="\/"/.test(l) && /status="200"/.test(l))).toBe(true);
    expect(requests.some((l) => l.includes('not-a-token'))).toBe(false);
    expect(text).toContain('# TYPE tandem_cycles gauge');
  });

  it('/readyz is 200 when Postgres and Temporal answer, on both processes', async () => {
    for (const child of [worker, web]) {
      const response = await fetch(`http://127.0.0.1:${child.ready.metricsPort as number}/readyz`);
      expect(await response.json()).toEqual({ ready: true, checks: { postgres: 'ok', temporal: 'ok' } });
      expect(response.status).toBe(200);
    }
    const app = await fetch(`http://127.0.0.1:${web.ready.port as number}/readyz`);
    expect(app.status).toBe(200);
  });

  it('/readyz is 503 and names Temporal when Temporal does not answer; /healthz stays 200', async () => {
    const nowhere = await freePort();
    const lonely = await startTandemProcess('web', env({ TEMPORAL_ADDRESS: `127.0.0.1:${nowhere}` }));
    children.push(lonely);
    const response = await fetch(`http://127.0.0.1:${lonely.ready.metricsPort as number}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { ready: boolean; checks: Record<string, string> };
    expect(body.ready).toBe(false);
    expect(body.checks.postgres).toBe('ok');
    expect(body.checks.temporal).toMatch(/^down: /);
    expect((await fetch(`http://127.0.0.1:${lonely.ready.metricsPort as number}/healthz`)).status).toBe(200);
  }, 60_000);
});
