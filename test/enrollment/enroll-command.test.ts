import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BAD_ROSTER_DIR } from './bad-rosters.ts';
import { generatedRoster } from './support.ts';
import { MAX_ROSTER_BYTES } from '../../src/enrollment/roster-limits.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

const MAIN = path.resolve(import.meta.dirname, '../../src/cli/main.ts');

describe('tandem enroll (the command, as a process)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  // The import's own workflow starts the cycles: a worker polls the command's task queue.
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    dir = mkdtempSync(path.join(tmpdir(), 'tandem-enroll-cli-'));
    env = {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      TANDEM_DATA_DIR: dir,
      LOG_LEVEL: 'silent',
    };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await stack?.close();
  });

  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [MAIN, 'enroll', ...args], { env }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });

  it('exits 1 with each problem by row and column for a bad roster', async () => {
    const result = await run(path.join(BAD_ROSTER_DIR, 'unknown-time-zone.csv'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The roster was not imported: 1 problem. Nothing was changed.');
    expect(result.stderr).toContain('row 3, column "mentee_time_zone": "Mars/Olympus_Mons" is not an IANA time zone such as America/New_York');
  });

  it('imports with plain progress lines when not on a terminal, then finds nothing to do', async () => {
    const file = path.join(dir, 'roster.csv');
    writeFileSync(file, generatedRoster(30, randomUUID().slice(0, 8)));
    const preview = await run(file, '--dry-run');
    expect(preview).toMatchObject({ code: 0 });
    expect(preview.stdout).toContain('Dry run: nothing was changed. Importing this roster (30 pairs) would give:\n  people: 60 new, 0 updated, 0 unchanged');

    const first = await run(file, '--concurrency', '4');
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^Starting cycles: 30\/30 100% \d+\/s ETA 0s$/m);
    expect(first.stderr).not.toContain('\r');
    expect(first.stdout).toContain('workflows: 30 started, 0 already running, 0 skipped');

    const again = await run(file);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('people: 0 new, 0 updated, 60 unchanged');
    expect(again.stdout).toContain('workflows: 0 started, 30 already running, 0 skipped');
  });

  it('refuses a file over the limit the page and the API have too, importing nothing', async () => {
    const file = path.join(dir, 'huge.csv');
    writeFileSync(file, Buffer.alloc(MAX_ROSTER_BYTES + 1, 0x61));
    const result = await run(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('over the 20 MB limit');
  });

  it('explains its usage when the file is missing', async () => {
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('give exactly one roster file');
  });
});
