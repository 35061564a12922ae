/**
 * No dev-server assumptions: `tandem setup-temporal` makes a missing namespace (with the
 * retention asked for), its search attributes and the rollover schedule, and says so; run
 * again it changes nothing. A worker pointed at a namespace without the search attributes
 * refuses to start and says which are missing and how to add them.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { msNumberToTs } from '@temporalio/common/lib/time.js';

const MAIN = path.resolve(import.meta.dirname, '../../src/cli/main.ts');

function tandem(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TANDEM_SECRET: 'setup-temporal-test-secret-0123456789',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
});
afterAll(async () => connection?.close());

describe('tandem setup-temporal', () => {
  it('creates a missing namespace with its retention, the search attributes and the schedule; a second run changes nothing', async () => {
    const namespace = `tandem-${randomUUID().slice(0, 8)}`;
    const first = await tandem(['setup-temporal'], { TEMPORAL_NAMESPACE: namespace, TEMPORAL_NAMESPACE_RETENTION_DAYS: '45' });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual([
      `Created namespace "${namespace}" (retention 45 days).`,
      'Registered search attributes: TandemStage, TandemStalled',
      'Created the fall rollover schedule.',
    ]);
    const described = await connection.workflowService.describeNamespace({ namespace });
    expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(45 * 86_400);
    const attributes = await connection.operatorService.listSearchAttributes({ namespace });
    expect(Object.keys(attributes.customAttributes ?? {})).toEqual(expect.arrayContaining(['TandemStage', 'TandemStalled']));
    const schedules: string[] = [];
    for await (const s of new Client({ connection, namespace }).schedule.list()) schedules.push(s.scheduleId);
    expect(schedules).toHaveLength(1);

    const second = await tandem(['setup-temporal'], { TEMPORAL_NAMESPACE: namespace });
    expect(second.code).toBe(0);
    expect(second.stdout.trim().split('\n')).toEqual([
      `Namespace "${namespace}" exists.`,
      'Search attributes already registered.',
      'Updated the fall rollover schedule.',
    ]);
  }, 120_000);
});

describe('tandem worker on a namespace without the search attributes', () => {
  it('refuses to start, naming what is missing and the command that adds it', async () => {
    const namespace = `bare-${randomUUID().slice(0, 8)}`;
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msNumberToTs(86_400_000) });
    for (let i = 0; i < 60; i++) {
      try {
        await connection.operatorService.listSearchAttributes({ namespace });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    const worker = await tandem(['worker'], { TEMPORAL_NAMESPACE: namespace, METRICS_PORT: '0' });
    expect(worker.code).toBe(2);
    expect(worker.stderr).toContain(`tandem: Temporal namespace "${namespace}" lacks Tandem's search attributes TandemStage, TandemStalled`);
    expect(worker.stderr).toContain(
      `tandem setup-temporal (or: temporal operator search-attribute create --namespace ${namespace} --name TandemStage --type Keyword --name TandemStalled --type Bool)`,
    );

    const missing = await tandem(['worker'], { TEMPORAL_NAMESPACE: `${namespace}-nowhere`, METRICS_PORT: '0' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`tandem: Temporal namespace "${namespace}-nowhere" does not exist; create it with: tandem setup-temporal`);
  }, 120_000);
});
