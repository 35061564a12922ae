import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/dev/free-port.ts';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server.ts';
import { enrollPair, EnrollmentValidationError } from '../../src/enrollment/enroll-pair.ts';
import { importRoster } from '../../src/enrollment/import-roster.ts';
import { ensureTemporalCli } from '../../src/temporal/cli-binary.ts';
import { startTestStack, testPolicy, type TestStack } from '../support/stack.ts';
import { BAD_ROSTERS, FORMATS_DIR, formatFiles, readBadRoster } from './bad-rosters.ts';
import { departmentRows, generatedRoster, runIds } from './support.ts';

const plain = readFileSync(path.join(FORMATS_DIR, 'plain.csv'), 'utf8');

describe('roster import on the real stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.close());

  const deps = (policy = testPolicy(), taskQueue = stack.taskQueue) => ({ db: stack.db, temporal: stack.client, taskQueue, policy });

  it('rejects every bad roster with its row, column and reason, and writes nothing to Postgres or Temporal', async () => {
    const policy = testPolicy();
    // One person already enrolled, so that a roster giving her email another name is caught.
    const seeded = await importRoster(
      deps(policy),
      'mentor_name,mentor_email,mentee_name,mentee_email,program,academic_year\nAlan Turing,alan@example.edu,Joan Clarke,joan@example.edu,PhD Biology,2099\n',
    );
    expect(seeded.ok).toBe(true);
    const before = await departmentRows(stack.db, policy.department.id);
    expect(before.cycles).toHaveLength(1);
    // A task queue of its own: any workflow a bad roster started would be listed on it.
    const badQueue = `bad-${randomUUID()}`;

    for (const [file, expected] of Object.entries(BAD_ROSTERS)) {
      const result = await importRoster(deps(policy, badQueue), readBadRoster(file));
      expect({ file, ok: result.ok }).toEqual({ file, ok: false });
      if (result.ok) continue;
      expect({ file, problems: result.problems }).toEqual({
        file,
        problems: [
          {
            row: expected.row,
            column: expected.column,
            reason: typeof expected.reason === 'string' ? expected.reason : expect.stringMatching(expected.reason),
          },
        ],
      });
    }
    expect(await departmentRows(stack.db, policy.department.id)).toEqual(before);
    const started = [];
    for await (const wf of stack.client.workflow.list({ query: `TaskQueue = '${badQueue}'` })) started.push(wf.workflowId);
    expect(started).toEqual([]);
  });

  it('imports each tolerated export format to the same people and pairs', async () => {
    const imported = [];
    for (const file of formatFiles()) {
      const policy = testPolicy();
      const result = await importRoster(deps(policy), readFileSync(path.join(FORMATS_DIR, file)));
      expect({ file, ok: result.ok }).toEqual({ file, ok: true });
      if (!result.ok) continue;
      expect({ file, cycles: result.summary.cycles }).toEqual({ file, cycles: { started: 3, alreadyRunning: 0, skipped: 0, failed: 0, notStarted: 0 } });
      const rows = await departmentRows(stack.db, policy.department.id);
      imported.push({
        file,
        people: rows.people.map((p) => [p.email, p.full_name, p.preferred_name, p.pronouns, p.time_zone]),
        pairs: rows.pairs.map((p) => [p.mentor, p.mentee, p.program, p.meeting_preferences, p.status]),
        cycles: rows.cycles.map((c) => [c.academic_year, c.enrolled_at.toISOString()]).sort(),
      });
    }
    const reference = imported.find((i) => i.file === 'plain.csv')!;
    expect(reference.people).toContainEqual(['alan@example.edu', 'Alan Turing', null, 'he/him', stack.policy.defaultTimeZone]);
    expect(reference.pairs).toContainEqual(['ada@example.edu', 'grace@example.edu', 'PhD Biology', 'Tuesdays in person', 'active']);
    for (const i of imported) expect({ ...i, file: 'same' }).toEqual({ ...reference, file: 'same' });
  });

  it('changes nothing and starts nothing when the same roster is imported again', async () => {
    const policy = testPolicy();
    const first = await importRoster(deps(policy), plain);
    expect(first.ok && first.summary).toMatchObject({
      people: { new: 5, updated: 0, unchanged: 0 },
      pairs: { new: 3 },
      cyclesCreated: 3,
      cycles: { started: 3 },
    });
    const rows = await departmentRows(stack.db, policy.department.id);
    const runs = await runIds(
      stack.client,
      rows.cycles.map((c) => c.workflow_id),
    );

    const again = await importRoster(deps(policy), plain);
    expect(again.ok && again.summary).toEqual({
      dryRun: false,
      pairsInRoster: 3,
      people: { new: 0, updated: 0, unchanged: 5 },
      pairs: { new: 0, updated: 0, unchanged: 3, ended: 0, continuing: 0 },
      cyclesCreated: 0,
      cycles: { started: 0, alreadyRunning: 3, skipped: 0, failed: 0, notStarted: 0 },
      startError: null,
    });
    expect(await departmentRows(stack.db, policy.department.id)).toEqual(rows);
    expect(
      await runIds(
        stack.client,
        rows.cycles.map((c) => c.workflow_id),
      ),
    ).toEqual(runs);
  });

  it('applies an amended roster: exactly the changed people and pairs, one new cycle, missing pairs reported and left enrolled', async () => {
    const policy = testPolicy();
    expect((await importRoster(deps(policy), plain)).ok).toBe(true);
    const before = await departmentRows(stack.db, policy.department.id);
    const runs = await runIds(
      stack.client,
      before.cycles.map((c) => c.workflow_id),
    );
    const amended = plain
      .split('\n')
      .filter((line) => !line.includes('dorothy@example.edu'))
      .map((line) =>
        line
          .replace('Grace,she/her,grace@example.edu', 'Grace,they/them,grace@example.edu')
          .replace('Tuesdays in person', 'Thursdays by video')
          .replace('he/him,alan@example.edu,,', 'he/him,alan@example.edu,Europe/Berlin,'),
      )
      .join('\n')
      // Mary joins MSc Ecology, so Dorothy's pair, left out, is one of the roster's own programs.
      .concat('Alan Turing,,,alan@example.edu,,Mary Jackson,,she/her,mary@example.edu,,MSc Ecology,2099,,\n');

    const preview = await importRoster(deps(policy), amended, { dryRun: true });
    expect(await departmentRows(stack.db, policy.department.id)).toEqual(before);
    const expectedPlan = {
      newPeople: ['mary@example.edu'],
      updatedPeople: [
        { email: 'grace@example.edu', fields: ['pronouns'] },
        { email: 'alan@example.edu', fields: ['time zone'] },
      ],
      missingPairs: [{ mentorEmail: 'ada@example.edu', menteeEmail: 'dorothy@example.edu', program: 'MSc Ecology' }],
    };
    expect(preview.ok && preview.plan).toMatchObject(expectedPlan);
    expect(preview.ok && preview.summary).toMatchObject({ dryRun: true, pairs: { new: 1, updated: 1, unchanged: 1 }, cyclesCreated: 1, cycles: null });

    const applied = await importRoster(deps(policy), amended);
    expect(applied.ok && applied.plan).toMatchObject(expectedPlan);
    expect(applied.ok && applied.summary).toMatchObject({
      pairs: { new: 1, updated: 1, unchanged: 1 },
      cyclesCreated: 1,
      cycles: { started: 1, alreadyRunning: 2 },
    });

    const after = await departmentRows(stack.db, policy.department.id);
    const person = (rows: typeof before, email: string) => rows.people.find((p) => p.email === email)!;
    expect(person(after, 'grace@example.edu').pronouns).toBe('they/them');
    expect(person(after, 'alan@example.edu').time_zone).toBe('Europe/Berlin');
    // Blank cells in the amended roster keep what was stored.
    expect(person(after, 'alan@example.edu').pronouns).toBe('he/him');
    for (const email of ['ada@example.edu', 'katherine@example.edu', 'dorothy@example.edu']) expect(person(after, email)).toEqual(person(before, email));
    expect(after.pairs.find((p) => p.mentee === 'grace@example.edu')!.meeting_preferences).toBe('Thursdays by video');
    expect(after.pairs.find((p) => p.mentee === 'dorothy@example.edu')!.status).toBe('active');
    expect(after.cycles).toHaveLength(4);
    expect(after.cycles.filter((c) => before.cycles.some((b) => b.id === c.id))).toEqual(before.cycles);
    const afterRuns = await runIds(
      stack.client,
      after.cycles.map((c) => c.workflow_id),
    );
    expect(Object.fromEntries(Object.entries(afterRuns).filter(([id]) => id in runs))).toEqual(runs);
  });

  it('shares one path with enroll-pair: a pair enrolled alone is unchanged by a roster, and a renamed email is refused', async () => {
    const policy = testPolicy();
    const single = await enrollPair(deps(policy), {
      mentor: { fullName: 'Alan Turing', email: 'Alan@Example.edu', pronouns: 'he/him' },
      mentee: { fullName: 'Katherine Johnson', preferredName: 'Katherine', email: 'katherine@example.edu', pronouns: 'she/her', timeZone: 'America/Chicago' },
      program: 'PhD Biology',
      startsAt: new Date('2099-09-01T00:00:00Z'),
    });
    expect(single).toMatchObject({ academicYear: 2099, started: true });
    const result = await importRoster(deps(policy), plain);
    expect(result.ok && result.summary).toMatchObject({
      people: { new: 3, unchanged: 2 },
      pairs: { new: 2, unchanged: 1 },
      cyclesCreated: 2,
      cycles: { started: 2, alreadyRunning: 1 },
    });
    const rows = await departmentRows(stack.db, policy.department.id);
    expect(rows.cycles.filter((c) => c.pair_id === single.pairId).map((c) => c.workflow_id)).toEqual([single.workflowId]);

    const renamed = await enrollPair(deps(policy), {
      mentor: { fullName: 'Ada King', email: 'ada@example.edu' },
      mentee: { fullName: 'Someone New', email: 'new@example.edu' },
    }).catch((e: unknown) => e);
    expect(renamed).toBeInstanceOf(EnrollmentValidationError);
    expect((renamed as EnrollmentValidationError).problems).toEqual([
      { field: 'mentor-name', reason: 'ada@example.edu is already enrolled as "Ada Lovelace", not "Ada King"' },
    ]);
    expect(await departmentRows(stack.db, policy.department.id)).toEqual(rows);
  });

  it('when Temporal goes down midway keeps the rows, and a re-run starts exactly the missing cycles', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-down-'));
    const address = `127.0.0.1:${await freePort()}`;
    const options = { cli: ensureTemporalCli(), dataDir, address, uiPort: await freePort(), namespace: 'default' };
    let server = await startTemporalDevServer(options);
    try {
      const policy = testPolicy();
      const roster = generatedRoster(12, policy.department.id);
      const connect = async () => new Client({ connection: await Connection.connect({ address }) });
      let client = await connect();
      let stopping: Promise<void> | undefined;
      const first = await importRoster({ db: stack.db, temporal: client, taskQueue: 'nobody-polls', policy }, roster, {
        concurrency: 2,
        onProgress: (done) => {
          // Killed, not stopped: the server vanishes between one start and the next.
          if (done === 4) {
            server.child.kill('SIGKILL');
            stopping = new Promise((resolve) => server.child.once('exit', () => resolve()));
          }
        },
      });
      await stopping;
      await client.connection.close();
      expect(first.ok).toBe(true);
      if (!first.ok) return;
      const firstStarted = first.summary.cycles!.started;
      expect(first.summary).toMatchObject({ startError: expect.any(String) });
      expect(firstStarted).toBeGreaterThanOrEqual(4);
      expect(firstStarted).toBeLessThan(12);
      expect(first.summary.cycles!.failed + first.summary.cycles!.notStarted).toBe(12 - firstStarted);
      // The rows were committed before the first start.
      expect((await departmentRows(stack.db, policy.department.id)).cycles).toHaveLength(12);

      server = await startTemporalDevServer(options);
      client = await connect();
      const second = await importRoster({ db: stack.db, temporal: client, taskQueue: 'nobody-polls', policy }, roster);
      expect(second.ok && second.summary.cycles).toEqual({ started: 12 - firstStarted, alreadyRunning: firstStarted, skipped: 0, failed: 0, notStarted: 0 });
      const rows = await departmentRows(stack.db, policy.department.id);
      const described = await Promise.all(rows.cycles.map((c) => client.workflow.getHandle(c.workflow_id).describe()));
      expect(described.map((d) => d.status.name)).toEqual(Array(12).fill('RUNNING'));
      await client.connection.close();
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
