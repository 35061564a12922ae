/**
 * The year report comes from cycle_report_counts (0016), kept by triggers as timelines grow.
 * After every kind of write the projection, enrollment and a clean-up can make — check-ins
 * missed several times in one statement and across statements, a retried projection, stalls
 * that end every way, a pair moving program and department, a cycle and a pair deleted, an
 * event rewritten — it equals the report aggregated from the events the old way (the oracle),
 * for every department, program and year, and again after the migration's backfill.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb, dropDatabase, ensureDatabaseExists } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import * as reportCounts from '../../db/migrations/0016_year_report_counts.ts';
import type { CycleStatus, Database } from '../../db/schema.ts';
import { projectCycle, timelineRows, type TimelineEvent } from '../../src/stores/cycle-store.ts';
import { reportChoices, yearReport } from '../../src/stores/year-report-store.ts';
import { testPolicy } from '../support/policy.ts';
import { reportChoicesFromCycles, yearReportFromEvents } from './support/year-report-oracle.ts';

const YEARS = [2025, 2026];
const PROGRAMS = ['PhD Biology', 'PhD Physics'];

describe('the year report kept in cycle_report_counts', () => {
  // Its own database: the counts are whole departments', so no other test's rows may land in it.
  const url = new URL(inject('databaseUrl'));
  url.pathname = `${url.pathname}_report_counts`;
  const databaseUrl = url.toString();
  const policy = testPolicy();
  // The same counts under another academic year start: joined-late is read for the policy in effect.
  const lateStartPolicy = testPolicy({ academicYearStart: '10-01' });
  const dept = policy.department.id;
  const otherDept = `${dept}-other`;
  let db: Kysely<Database>;

  async function expectSameAsOracle(): Promise<void> {
    for (const departmentId of [dept, otherDept]) {
      expect(await reportChoices(db, departmentId)).toEqual(await reportChoicesFromCycles(db, departmentId));
      for (const program of [null, ...PROGRAMS])
        for (const year of YEARS)
          for (const p of [policy, lateStartPolicy]) {
            const scope = { departmentId, program };
            const kept = await yearReport(db, p, scope, year, [2024, ...YEARS]);
            expect(kept, `${departmentId} ${program ?? 'all programs'} ${year}`).toEqual(await yearReportFromEvents(db, p, scope, year, [2024, ...YEARS]));
          }
    }
  }

  async function makePair(program: string | null, departmentId = dept): Promise<string> {
    const tag = randomUUID().slice(0, 8);
    const [mentor, mentee] = await db
      .insertInto('people')
      .values(
        ['mentor', 'mentee'].map((role) => ({
          department_id: departmentId,
          email: `${role}.${tag}@example.edu`,
          full_name: `${role} ${tag}`,
          time_zone: 'UTC',
        })),
      )
      .returning('id')
      .execute();
    const pair = await db
      .insertInto('pairs')
      .values({ department_id: departmentId, mentor_id: mentor!.id, mentee_id: mentee!.id, program })
      .returning('id')
      .executeTakeFirstOrThrow();
    return pair.id;
  }

  async function makeCycle(pairId: string, academicYear: number, enrolledAt: string): Promise<string> {
    const cycle = await db
      .insertInto('cycles')
      .values({ pair_id: pairId, academic_year: academicYear, workflow_id: `report-counts-${randomUUID()}`, enrolled_at: enrolledAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return cycle.id;
  }

  let seq = 0;
  const ev = (step: string | null, kind: string, detail: TimelineEvent['detail'] = {}): TimelineEvent => ({
    eventKey: `e${++seq}`,
    occurredAt: new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString(),
    step,
    kind,
    detail,
  });
  /** One projection write, as the workflow's activity makes it: the events and the cycle's state in one transaction. */
  const project = (cycleId: string, events: TimelineEvent[], status: CycleStatus = 'running', currentStep: string | null = 'expectations') =>
    projectCycle(
      db,
      cycleId,
      { status, currentStep, dueAt: null, owedBy: null, stalledSince: status === 'stalled' ? '2026-10-01T00:00:00Z' : null, ladderRung: null },
      events,
    );
  const notify = (step: string) => ev(step, 'ladder-rung', { rung: 'notify-coordinator', index: 2 });

  /** Several cycles' events in one statement, as a bulk load writes them. */
  const insertAtOnce = (rows: { cycleId: string; event: TimelineEvent }[]) =>
    db
      .insertInto('cycle_events')
      .values(rows.flatMap(({ cycleId, event }) => timelineRows(cycleId, [event])))
      .execute();

  async function deleteCycles(cycleIds: string[]): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('cycle_events').where('cycle_id', 'in', cycleIds).execute();
      await trx.deleteFrom('cycles').where('id', 'in', cycleIds).execute();
    });
  }

  beforeAll(async () => {
    await ensureDatabaseExists(databaseUrl);
    db = createDb(databaseUrl, 4);
    await migrateToLatest(db);
    await db
      .insertInto('departments')
      .values([
        { id: dept, name: 'Report counts' },
        { id: otherDept, name: 'Report counts, other' },
      ])
      .execute();
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(databaseUrl);
  });

  it('equals the report aggregated from the events, through every kind of write', async () => {
    const ana = await makePair('PhD Biology');
    const anaFirst = await makeCycle(ana, 2025, '2025-09-01T00:00:00Z');
    const anaSecond = await makeCycle(ana, 2026, '2026-09-01T00:00:00Z');
    const ben = await makePair('PhD Biology');
    const benLate = await makeCycle(ben, 2026, '2026-10-15T09:00:00Z');
    const cy = await makePair('PhD Physics');
    const cyFirst = await makeCycle(cy, 2025, '2025-11-01T00:00:00Z');
    const cySecond = await makeCycle(cy, 2026, '2026-09-01T00:00:00Z');
    const dee = await makePair('PhD Physics');
    const deeCycle = await makeCycle(dee, 2026, '2026-09-01T00:00:00Z');
    const eli = await makePair('PhD Biology');
    const eliCycle = await makeCycle(eli, 2026, '2026-09-01T00:00:00Z');
    const fay = await makePair(null);
    const fayFirst = await makeCycle(fay, 2025, '2025-09-01T00:00:00Z');
    await makeCycle(fay, 2026, '2026-09-20T00:00:00Z'); // late, but not her first year
    const gus = await makePair('PhD Physics');
    const gusCycle = await makeCycle(gus, 2026, '2026-09-01T00:00:00Z');
    await expectSameAsOracle(); // cycles without events count as pairs that did nothing yet

    // Ana's first year does everything; "we didn't meet" twice for check-in 2 in one write.
    const anaYear = [
      [ev('expectations', 'step-opened'), ev('expectations', 'step-completed', { phase: 'acknowledged' })],
      [ev('check-in-1', 'step-opened'), ev('check-in-1', 'step-completed', { phase: 'held' })],
      [ev('check-in-2', 'step-opened'), ev('check-in-2', 'check-in-missed', { round: 0 }), ev('check-in-2', 'check-in-missed', { round: 1 })],
      [ev('check-in-2', 'step-completed', { phase: 'missed-and-rescheduled' }), ev('training-goals', 'step-opened')],
      [ev('training-goals', 'training-goals-updated', { round: 0 }), ev('training-goals', 'step-completed', { phase: 'reviewed' })],
      [ev('feedback', 'feedback-submitted', { by: 'mentor' }), ev('feedback', 'feedback-submitted', { by: 'mentee' }), ev(null, 'year-ended')],
    ];
    for (const [i, events] of anaYear.entries()) await project(anaFirst, events, i === anaYear.length - 1 ? 'completed' : 'running');
    // A retried write lands once.
    await project(anaFirst, anaYear[2]!, 'completed');
    // Ana's second year: a stall the coordinator resolves; check-in 1 missed again in a later write, then check-in 2.
    await project(
      anaSecond,
      [ev('expectations', 'step-opened'), ev('expectations', 'ladder-rung', { rung: 'remind-owner', index: 0 }), notify('expectations')],
      'stalled',
    );
    await project(anaSecond, [ev('expectations', 'step-resolved'), ev('check-in-1', 'step-opened'), ev('check-in-1', 'check-in-missed', { round: 0 })]);
    await project(anaSecond, [ev('check-in-1', 'check-in-missed', { round: 1 })]);
    await project(anaSecond, [ev('check-in-2', 'step-opened'), ev('check-in-2', 'check-in-missed', { round: 0 })]);
    // Ben joined late: check-in 1 closed before he was enrolled; check-in 2 stalls and is referred; two leaves.
    await project(benLate, [ev('check-in-1', 'step-opened'), ev('check-in-1', 'step-closed', { phase: 'before-enrollment' }), ev('check-in-2', 'step-opened')]);
    await project(benLate, [notify('check-in-2'), ev('check-in-2', 'ladder-rung', { rung: 'refer-resource', index: 3 })], 'stalled', 'check-in-2');
    await project(benLate, [ev(null, 'cycle-paused', { reason: 'leave' })], 'paused');
    await project(
      benLate,
      [ev(null, 'cycle-resumed'), ev(null, 'cycle-paused', { reason: 'family' }), ev('feedback', 'feedback-submitted', { by: 'mentee' })],
      'paused',
    );
    // Cy: completed after the reminder in the first year; in the second a stalled check-in left open when the pair ends (lapsed).
    await project(cyFirst, [notify('expectations'), ev('expectations', 'step-completed', { phase: 'acknowledged' })], 'completed');
    await project(cySecond, [ev('check-in-1', 'step-opened'), notify('check-in-1')], 'stalled', 'check-in-1');
    await expectSameAsOracle();
    await project(cySecond, [ev(null, 'pair-ended', { reason: 'graduated' })], 'ended', null);
    // Dee: goals stall and close (lapsed); check-in 3 stalls and stays open; no reason given for a pause.
    await project(deeCycle, [ev('training-goals', 'step-opened'), notify('training-goals'), ev('training-goals', 'step-closed', { phase: 'lapsed' })]);
    await project(deeCycle, [ev('check-in-3', 'step-opened'), notify('check-in-3'), ev(null, 'cycle-paused')], 'stalled', 'check-in-3');
    // Eli: expectations set late (after a rung), goals updated but not reviewed.
    await project(eliCycle, [
      ev('expectations', 'ladder-rung', { rung: 'remind-owner', index: 0 }),
      ev('expectations', 'step-completed', { phase: 'acknowledged' }),
    ]);
    await project(eliCycle, [ev('training-goals', 'training-goals-updated', { round: 0 })]);
    await project(fayFirst, [ev('check-in-1', 'step-opened'), ev('check-in-1', 'step-completed', { phase: 'held' })]);
    await project(gusCycle, [ev('check-in-1', 'step-opened'), ev('check-in-1', 'check-in-missed', { round: 0 })]);
    await expectSameAsOracle();

    // A bulk write of several cycles' events in one statement: Dee's check-in 1 missed twice in it, Ben's check-in 2 once more.
    const d1 = ev('check-in-1', 'step-opened');
    const d2 = ev('check-in-1', 'check-in-missed', { round: 0 });
    const d3 = ev('check-in-1', 'check-in-missed', { round: 1 });
    await insertAtOnce([
      { cycleId: deeCycle, event: d1 },
      { cycleId: deeCycle, event: d2 },
      { cycleId: benLate, event: ev('check-in-2', 'check-in-missed', { round: 0 }) },
      { cycleId: eliCycle, event: ev('feedback', 'feedback-submitted', { by: 'mentor' }) },
      { cycleId: deeCycle, event: d3 },
      { cycleId: gusCycle, event: ev('check-in-1', 'check-in-missed', { round: 1 }) },
    ]);
    await expectSameAsOracle();
    const ofYear = (await yearReport(db, policy, { departmentId: dept, program: null }, 2026)).report;
    // Ana 2026 (check-ins 1 and 2), Ben (2), Dee (1), Gus (1): each check-in once, however often reported.
    expect(ofYear.checkIns.reportedMissed).toEqual({ value: 5, pairs: 4 });
    expect(ofYear.joinedLate).toEqual({ value: 1, pairs: 1 }); // Ben; Fay's 2026 cycle is not her first
    expect(ofYear.stalls.map((s) => [s.step, s.stalled.value])).toEqual([
      ['expectations', 1],
      ['check-in-1', 1],
      ['check-in-2', 1],
      ['training-goals', 1],
      ['check-in-3', 1],
    ]);

    // A pair moves program, another to no program, one to another department.
    await db.updateTable('pairs').set({ program: 'PhD Physics' }).where('id', '=', ana).execute();
    await db.updateTable('pairs').set({ program: null }).where('id', '=', dee).execute();
    await db.updateTable('pairs').set({ department_id: otherDept, program: 'PhD Biology' }).where('id', '=', eli).execute();
    await expectSameAsOracle();

    // A cycle deleted (its events first: they reference it): Fay's 2026 cycle becomes her first, and late.
    await deleteCycles([fayFirst]);
    await expectSameAsOracle();
    expect((await yearReport(db, policy, { departmentId: dept, program: null }, 2026)).report.joinedLate.value).toBe(2);
    // A pair deleted, with its cycle and events.
    await deleteCycles([gusCycle]);
    await db.deleteFrom('pairs').where('id', '=', gus).execute();
    // An earlier year enrolled for Ben afterwards: his 2026 cycle is no longer his first.
    await makeCycle(ben, 2025, '2025-09-01T00:00:00Z');
    await expectSameAsOracle();

    // Events rewritten and deleted (nothing in src/ does either): the cycles touched are counted again.
    await db
      .updateTable('cycle_events')
      .set({ detail: JSON.stringify({ phase: 'held' }) })
      .where('cycle_id', '=', anaFirst)
      .where('kind', '=', 'step-completed')
      .where('step', '=', 'check-in-2')
      .execute();
    await db.deleteFrom('cycle_events').where('cycle_id', '=', deeCycle).where('event_key', 'in', [d2.eventKey, d3.eventKey]).execute();
    await db.deleteFrom('cycle_events').where('cycle_id', '=', benLate).where('kind', '=', 'cycle-paused').execute();
    await expectSameAsOracle();
    // A finished cycle running again: its open stall is still open.
    await project(cySecond, [], 'running', 'check-in-1');
    await expectSameAsOracle();
    expect(
      (await yearReport(db, policy, { departmentId: dept, program: 'PhD Physics' }, 2026)).report.stalls.find((s) => s.step === 'check-in-1')?.stillOpen.value,
    ).toBe(1);

    // The migration's backfill, over the same rows, keeps the same counts.
    const keptCounts = () =>
      sql<{
        row: string;
      }>`select concat_ws('|', department_id, program, academic_year, measure, label, value) as row from cycle_report_counts where value <> 0 order by 1`.execute(
        db,
      );
    const before = (await keptCounts()).rows;
    await db.transaction().execute(async (trx) => {
      await reportCounts.down(trx);
      await reportCounts.up(trx);
    });
    expect((await keptCounts()).rows).toEqual(before);
    await expectSameAsOracle();
  });
});
