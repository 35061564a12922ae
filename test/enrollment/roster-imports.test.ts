/**
 * Roster imports through their own workflow, on the real Temporal dev server and Postgres:
 * two confirms of one file at the same time start each cycle once; an import confirmed while
 * no worker runs is finished by the workflow once one does; warnings that do not block.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmRosterImport, importProgress, previewRoster } from '../../src/enrollment/roster-imports.ts';
import { rosterWarnings } from '../../src/enrollment/roster-warnings.ts';
import { parseRoster } from '../../src/enrollment/parse-roster.ts';
import { validateRoster } from '../../src/enrollment/validate-roster.ts';
import { eventually } from '../support/cycle.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';
import { generatedRoster, runIds } from './support.ts';

describe('roster imports', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.close());
  const deps = () => ({ db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, policy: stack.policy });
  const preview = async (bytes: Buffer) => {
    const result = await previewRoster(deps(), { bytes, fileName: 'r.csv' }, { source: 'cli' }, { record: true });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.preview.importId!;
  };
  const complete = (importId: string) =>
    eventually(
      () => importProgress(stack.db, stack.policy.department.id, importId),
      (p) => p!.complete,
      60_000,
      `import ${importId} complete`,
    );

  it('starts each cycle once when two confirms of the same file run at the same time', async () => {
    const file = Buffer.from(generatedRoster(6, randomUUID().slice(0, 8)));
    const [a, b] = [await preview(file), await preview(file)];
    const results = await Promise.all([confirmRosterImport(deps(), a), confirmRosterImport(deps(), b)]);
    const confirmed = results.filter((r) => r.ok).map((r) => r.ok && r.importId);
    expect(confirmed.length).toBeGreaterThanOrEqual(1);
    const progress = await Promise.all(confirmed.map((id) => complete(id as string)));
    expect(progress.reduce((n, p) => n + p!.started, 0)).toBe(6);
    const cycles = await stack.db
      .selectFrom('cycles')
      .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
      .select('cycles.workflow_id')
      .where('pairs.department_id', '=', stack.policy.department.id)
      .where('pairs.program', '=', 'PhD Biology')
      .execute();
    // Six cycles, each with one run: nothing started twice.
    const runs = await runIds(
      stack.client,
      cycles.map((c) => c.workflow_id),
    );
    expect(Object.keys(runs)).toHaveLength(6);
  });

  it('finishes the starts of an import confirmed while no worker ran, once one does', async () => {
    const file = Buffer.from(generatedRoster(3, randomUUID().slice(0, 8)));
    const importId = await preview(file);
    await stack.stopWorker();
    const confirmed = await confirmRosterImport(deps(), importId);
    expect(confirmed.ok).toBe(true);
    expect(await importProgress(stack.db, stack.policy.department.id, importId)).toMatchObject({ total: 3, pending: 3, complete: false });
    await stack.startWorker();
    expect(await complete(importId)).toMatchObject({ total: 3, started: 3, pending: 0, failures: [] });
  });

  it('warns, without blocking, about "Last, First" names, a preferred name equal to the full name and a far time zone', () => {
    const policy = testPolicy();
    const csv =
      'mentor_name,mentor_email,mentee_name,mentee_preferred_name,mentee_email,mentee_time_zone,program,academic_year\nCurie, Marie,marie@example.edu,Ann Bell,Ann Bell,ann@example.edu,Asia/Tokyo,PhD Biology,2099\n'.replace(
        'Curie, Marie',
        '"Curie, Marie"',
      );
    const parsed = parseRoster(csv);
    const { requests, rowOf, problems } = validateRoster(parsed, policy, new Date('2026-11-22T08:00:00Z'));
    expect(problems).toEqual([]);
    const warnings = rosterWarnings(parsed, requests, rowOf, 'America/New_York', new Date('2026-11-22T08:00:00Z'));
    expect(warnings.map((w) => [w.row, w.column, w.value])).toEqual([
      [2, 'mentor_name', 'Curie, Marie'],
      [2, 'mentee_preferred_name', 'Ann Bell'],
      [2, 'mentee_time_zone', 'Asia/Tokyo'],
    ]);
    expect(warnings[0]!.reason).toContain('"Marie Curie"');
    expect(warnings[2]!.reason).toContain('14 hours');
  });
});
