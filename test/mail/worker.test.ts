/**
 * The mail activities inside a real worker on the real Temporal dev server: while the
 * relay is down the activity fails and Temporal retries it with backoff; once the relay is
 * back every message arrives exactly once, and a permanent refusal does not fail the run.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../src/activities/index.ts';
import { createPair, startMailFixture, type MailFixture } from './support/mail-fixture.ts';
import type { mailTestWorkflow } from './support/mail-test-workflow.ts';

describe('mail activities in a real worker', () => {
  let f: MailFixture;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  const taskQueue = `mail-test-${randomUUID()}`;

  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
    } catch {
      // Already installed in this process.
    }
    f = await startMailFixture();
    const { code } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./support/mail-test-workflow.ts', import.meta.url)),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
    });
    nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
    worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: { code }, activities: createActivities(f.deps) });
    running = worker.run();
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await nativeConnection?.close();
    await connection?.close();
    await f?.close();
  });

  it('retries through an outage, then delivers each message once; a bounced address does not fail the run', async () => {
    const pair = await createPair(f.db, f.policy);
    const bounced = await createPair(f.db, f.policy);
    f.mail.rejectWith = { code: 421, message: '4.3.2 Try again later' };
    const handle = await client.workflow.start<typeof mailTestWorkflow>('mailTestWorkflow', {
      taskQueue,
      workflowId: `mail-test-${randomUUID()}`,
      args: [
        {
          notification: {
            cycleId: pair.cycleId,
            step: 'check-in-1',
            kind: 'check-in-window-open',
            sequence: 0,
            audience: ['mentor', 'mentee'],
            facts: { dueAt: '2026-12-01T17:00:00Z' },
          },
          invites: [
            { cycleId: pair.cycleId, step: 'check-in-1', method: 'REQUEST', startsAt: '2026-10-01T14:00:00Z', endsAt: '2026-10-01T14:45:00Z', revision: 1 },
            { cycleId: pair.cycleId, step: 'check-in-1', method: 'REQUEST', startsAt: '2026-10-02T14:00:00Z', endsAt: '2026-10-02T14:45:00Z', revision: 2 },
          ],
        },
      ],
    });
    // Wait until Temporal has retried the failing activity at least twice.
    for (;;) {
      const rows = await f.db.selectFrom('outbox').select('attempts').where('cycle_id', '=', pair.cycleId).execute();
      if (rows.length > 0 && rows.every((r) => r.attempts >= 3)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(f.mail.to(pair.mentorEmail)).toHaveLength(0);
    f.mail.rejectWith = null;

    const result = await handle.result();
    // Counts are the last attempt's: copies an earlier attempt got through show as already sent.
    expect(result.notification.sent + result.notification.alreadySent).toBe(2);
    expect(result.invites.map((i) => [i.sequence, i.sent + i.alreadySent, i.refused])).toEqual([
      [0, 2, 0],
      [1, 2, 0],
    ]);
    for (const address of [pair.mentorEmail, pair.menteeEmail]) {
      expect(f.mail.to(address).map((m) => m.parsed.headers.get('x-tandem-kind'))).toEqual(['check-in-window-open', 'check-in-invite', 'check-in-invite']);
    }

    f.mail.rejectRecipients.set(bounced.menteeEmail, { code: 550, message: '5.1.1 Unknown user' });
    const second = await client.workflow.execute<typeof mailTestWorkflow>('mailTestWorkflow', {
      taskQueue,
      workflowId: `mail-test-${randomUUID()}`,
      args: [
        {
          notification: { cycleId: bounced.cycleId, step: 'expectations', kind: 'expectations-requested', sequence: 0, audience: ['mentor', 'mentee'] },
          invites: [],
        },
      ],
    });
    expect(second.notification).toEqual({ sent: 1, alreadySent: 0, refused: 1 });
    const cycle = await f.db.selectFrom('cycles').select('delivery_problem').where('id', '=', bounced.cycleId).executeTakeFirstOrThrow();
    expect(cycle.delivery_problem).toContain(bounced.menteeEmail);
  });

  it('does not resend what the relay accepted when the sent mark could not be written', async () => {
    const pair = await createPair(f.db, f.policy);
    const name = `refuse_sent_mark_${pair.cycleId.slice(0, 8)}`;
    await sql
      .raw(
        `create or replace function ${name}() returns trigger language plpgsql as $$
         begin if new.status = 'sent' and new.cycle_id = '${pair.cycleId}' then raise exception 'simulated database outage'; end if; return new; end $$;
         create trigger ${name} before update on outbox for each row execute function ${name}();`,
      )
      .execute(f.db);
    const handle = await client.workflow.start<typeof mailTestWorkflow>('mailTestWorkflow', {
      taskQueue,
      workflowId: `mail-test-${randomUUID()}`,
      args: [{ notification: { cycleId: pair.cycleId, step: 'expectations', kind: 'expectations-requested', sequence: 0, audience: ['mentee'] }, invites: [] }],
    });
    try {
      // Wait until the activity has failed on the mark and Temporal is on a later attempt.
      for (;;) {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        if ((pending[0]?.attempt ?? 0) >= 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await sql.raw(`drop trigger ${name} on outbox; drop function ${name}();`).execute(f.db);
    }
    const result = await handle.result();
    expect(result.notification).toEqual({ sent: 0, alreadySent: 1, refused: 0 });
    expect(f.mail.to(pair.menteeEmail)).toHaveLength(1);
    const row = await f.db.selectFrom('outbox').select(['status', 'attempts']).where('cycle_id', '=', pair.cycleId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'sent', attempts: 1 });
  });
});
