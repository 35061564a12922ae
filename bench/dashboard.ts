/**
 * The coordinator dashboard at scale: 100,000 cycles seeded in bulk (generate_series, in a
 * throwaway database), then p50/p95 of
 *   - the stalled-cycles query (first page, stalled first: listCycles with default filters),
 *   - the whole page (GET /dashboard through Fastify inject: session check, list, chart,
 *     program choices, HTML), unfiltered and filtered by program,
 *   - the year report's queries over the same cycles and their timelines (~12 events each),
 *     and its page (GET /dashboard/reports?year=2026: choices, the report, the five-year trend, HTML),
 *   - one pair's page (GET /dashboard/cycles/:id: the cycle, its people, its timeline), for
 *     cycles picked across the table (every cycle has a short seeded timeline),
 * each beside a raw baseline measured in the same run: a bare index read of 50 stalled cycles
 * (no joins), and GET /healthz (one trivial query through the same server).
 *
 *   npx node bench/dashboard.ts [cycles]        standalone (default 100,000)
 *   import { runDashboardBench } from './dashboard.ts'   from npm run bench
 *
 * Goals: p95 ≤ 20 ms for a query, ≤ 100 ms for a page (issue 18). The year report's queries
 * keep counting every event beside them, as the baseline of what aggregating at read time costs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createDb, dropDatabase, ensureDatabaseExists } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { loadConfig } from '../src/config/env.ts';
import { parsePolicy } from '../src/domain/policy.ts';
import { createMailTransport } from '../src/mail/transport.ts';
import { normalizeFilters, stagesOf } from '../src/web/coordinator/dashboard-filters.ts';
import { listCycles } from '../src/stores/dashboard-store.ts';
import { yearReport } from '../src/stores/year-report-store.ts';
import { buildWebServer } from '../src/web/server.ts';
import defaultPolicy from '../policy/default.json' with { type: 'json' };

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
  samples: number;
}

export interface DashboardBenchRow {
  scenario: string;
  measured: string;
  baseline: string;
  ratio: string;
  goal: string;
  pass: boolean | null;
}

export interface DashboardBenchResult {
  benchmark: 'dashboard';
  at: string;
  machine: { cpus: number; node: string };
  cycles: number;
  stalled: number;
  seedSeconds: number;
  /** The stalled-cycles query: first page, stalled first. */
  query: Percentiles;
  /** GET /dashboard, unfiltered. */
  page: Percentiles;
  /** GET /dashboard?program=…, one program of eight. */
  pageFiltered: Percentiles;
  /** The year report's queries (yearReport + the five-year trend) over every seeded cycle. */
  report: Percentiles;
  /** GET /dashboard/reports?year=2026, the year report's page. */
  reportPage: Percentiles;
  /** GET /dashboard/cycles/:id, cycles spread over the table. */
  pairPage: Percentiles;
  baselines: { indexRead: Percentiles; healthz: Percentiles; countEvents: Percentiles };
  goals: { queryP95Ms: number; pageP95Ms: number };
  goalsMet: boolean;
  rows: DashboardBenchRow[];
}

export interface DashboardBenchOptions {
  cycles?: number;
  /** Timed repetitions of each measurement (after warm-up). */
  iterations?: number;
  /** Server where the throwaway database is made (default TEST_DATABASE_URL or local postgres). */
  serverUrl?: string;
  log?: (line: string) => void;
  /** Leave the seeded database in place (its name is logged), to look at query plans. */
  keepDatabase?: boolean;
}

const PROGRAMS = ['PhD Biology', 'PhD Chemistry', 'PhD Physics', 'MSc Ecology', 'PhD Neuroscience', 'MSc Data Science', 'PhD Genetics', 'Postdoc Program'];

/** Postgres's md5(text)::uuid, as the seed names its rows. */
function md5Uuid(text: string): string {
  return createHash('md5')
    .update(text)
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1)!, samples: sorted.length };
}

/** As many repetitions as asked, or a tenth (at least 5) when one run takes over 100 ms: a slow query still finishes in minutes. */
async function iterationsFor(iterations: number, run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0 > 100 ? Math.max(5, Math.floor(iterations / 10)) : iterations;
}

async function measure(iterations: number, run: () => Promise<unknown>): Promise<Percentiles> {
  for (let i = 0; i < Math.min(20, iterations); i++) await run(); // warm caches and the JIT
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return percentiles(samples);
}

const ms = (p: Percentiles) => `p50 ${p.p50.toFixed(1)} / p95 ${p.p95.toFixed(1)} ms`;

export async function runDashboardBench(options: DashboardBenchOptions = {}): Promise<DashboardBenchResult> {
  const cycles = options.cycles ?? 100_000;
  const iterations = options.iterations ?? 200;
  const log = options.log ?? console.log;
  const policy = parsePolicy({ ...structuredClone(defaultPolicy), department: { ...defaultPolicy.department, id: 'bench-dept' } });
  const stages = stagesOf(policy);
  const databaseUrl = new URL(options.serverUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  databaseUrl.pathname = `/tandem_bench_dashboard_${process.pid}_${Date.now().toString(36)}`;
  await ensureDatabaseExists(databaseUrl.toString());
  const db = createDb(databaseUrl.toString(), 10);
  const mailer = createMailTransport('smtp://127.0.0.1:9?tls=off'); // never used: no sign-in mail is sent
  let web: Awaited<ReturnType<typeof buildWebServer>> | undefined;
  try {
    await migrateToLatest(db);
    const mentors = Math.max(1, Math.floor(cycles / 5));
    log(`dashboard bench: seeding ${cycles.toLocaleString('en-US')} cycles (${mentors.toLocaleString('en-US')} mentors) into ${databaseUrl.pathname.slice(1)}`);
    const t0 = performance.now();
    await sql`insert into departments (id, name) values (${policy.department.id}, ${policy.department.name})`.execute(db);
    await sql`
      insert into people (id, department_id, email, full_name, time_zone)
      select md5('mentor' || i)::uuid, ${policy.department.id}, 'mentor.' || i || '@bench.example.edu', 'Mentor ' || i, 'Europe/Berlin'
      from generate_series(1, ${mentors}) as i`.execute(db);
    await sql`
      insert into people (id, department_id, email, full_name, preferred_name, time_zone, undeliverable_email, undeliverable_reason)
      select md5('mentee' || i)::uuid, ${policy.department.id}, 'mentee.' || i || '@bench.example.edu', 'Mentee ' || i, 'M' || i, 'Europe/Berlin',
             case when i % 500 = 0 then 'mentee.' || i || '@bench.example.edu' end, case when i % 500 = 0 then '550 no such user' end
      from generate_series(1, ${cycles}) as i`.execute(db);
    await sql`
      insert into pairs (id, department_id, mentor_id, mentee_id, program)
      select md5('pair' || i)::uuid, ${policy.department.id}, md5('mentor' || (1 + i % ${mentors}))::uuid, md5('mentee' || i)::uuid,
             (${sql.val(PROGRAMS)}::text[])[1 + i % ${PROGRAMS.length}]
      from generate_series(1, ${cycles}) as i`.execute(db);
    // ~4% stalled, 3% paused, 5% completed, 2% ended, the rest running, spread over every step.
    await sql`
      insert into cycles (id, pair_id, academic_year, workflow_id, enrolled_at, status, current_step, due_at, owed_by, stalled_since, ladder_rung, delivery_problem)
      select md5('cycle' || i)::uuid, md5('pair' || i)::uuid, 2026, 'bench-' || i, timestamptz '2026-09-01',
             s.status,
             case when s.status in ('completed', 'ended') then null else (${sql.val(stages)}::text[])[1 + (i * 7) % ${stages.length}] end,
             timestamptz '2026-09-01' + ((i % 300) || ' days')::interval,
             case when s.status in ('completed', 'ended') then null else (array['mentor', 'mentee', 'both'])[1 + i % 3] end,
             case when s.status = 'stalled' then timestamptz '2026-09-15' + ((i % 280) || ' days')::interval end,
             case when s.status = 'stalled' then 2 + i % 2 when i % 10 = 1 then 0 end,
             case when i % 997 = 0 then 'Mail to the mentee was refused: 550 no such user.' end
      from generate_series(1, ${cycles}) as i,
      lateral (select case when i % 100 < 4 then 'stalled' when i % 100 < 7 then 'paused' when i % 100 < 12 then 'completed' when i % 100 < 14 then 'ended' else 'running' end as status) as s`.execute(
      db,
    );
    await seedTimelines(db, cycles);
    // A settled database, as autovacuum leaves it: statistics and the visibility map current.
    await sql`vacuum analyze`.execute(db);
    const seedSeconds = (performance.now() - t0) / 1000;
    const stalled = Number((await sql<{ n: string }>`select count(*) as n from cycles where status = 'stalled'`.execute(db)).rows[0]!.n);
    log(`dashboard bench: seeded in ${seedSeconds.toFixed(1)} s (${stalled.toLocaleString('en-US')} stalled)`);

    // A coordinator with a session, written directly (the cookie holds the id, the table its hash).
    const staff = await db
      .insertInto('staff')
      .values({ department_id: policy.department.id, email: 'coordinator@bench.example.edu', name: 'Bench Coordinator', roles: ['coordinator'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sessionId = randomBytes(32).toString('base64url');
    await db
      .insertInto('staff_sessions')
      .values({
        id_hash: createHash('sha256').update(sessionId).digest('hex'),
        staff_id: staff.id,
        csrf_token: 'bench',
        last_seen_at: new Date(),
        expires_at: new Date(Date.now() + 3_600_000),
      })
      .execute();
    const config = loadConfig({
      DATABASE_URL: databaseUrl.toString(),
      PUBLIC_URL: 'http://bench.test',
      TANDEM_SECRET: 'bench-secret-0123456789-0123456789-abc',
      LOG_LEVEL: 'silent',
    });
    web = await buildWebServer({ db, policy, config, mailer, temporal: () => Promise.reject(new Error('the dashboard bench reads Postgres only')) });
    await web.ready();
    const server = web;
    const cookie = `tandem_staff=${sessionId}`;
    const getPage = async (url: string) => {
      const response = await server.inject({ method: 'GET', url, headers: { cookie } });
      if (response.statusCode !== 200) throw new Error(`GET ${url} answered ${response.statusCode}`);
    };

    const filters = normalizeFilters({});
    const firstPage = await listCycles(db, policy.department.id, filters, { limit: 50, offset: 0 });
    if (firstPage.length !== 50 || firstPage[0]!.status !== 'stalled') throw new Error('the first page should be 50 cycles, stalled first');

    const query = await measure(iterations, () => listCycles(db, policy.department.id, filters, { limit: 50, offset: 0 }));
    const indexRead = await measure(iterations, () =>
      sql`select id, stalled_since from cycles where status = 'stalled' order by stalled_since limit 50`.execute(db),
    );
    log(`stalled-cycles query: ${ms(query)} (bare index read of 50 stalled: ${ms(indexRead)})`);
    const page = await measure(iterations, () => getPage('/dashboard'));
    const pageFiltered = await measure(iterations, () => getPage(`/dashboard?program=${encodeURIComponent(PROGRAMS[2]!)}&state=all`));
    let pick = 0;
    const pairPage = await measure(iterations, () => getPage(`/dashboard/cycles/${md5Uuid(`cycle${1 + ((pick++ * 7919) % cycles)}`)}`));
    const healthz = await measure(iterations, () => server.inject({ method: 'GET', url: '/healthz' }));
    log(`GET /dashboard: ${ms(page)}; filtered by program: ${ms(pageFiltered)}; a pair's page: ${ms(pairPage)} (GET /healthz: ${ms(healthz)})`);

    const scope = { departmentId: policy.department.id, program: null };
    const runReport = () => yearReport(db, policy, scope, 2026, [2022, 2023, 2024, 2025, 2026]);
    const report = await measure(await iterationsFor(iterations, runReport), runReport);
    const runReportPage = () => getPage('/dashboard/reports?year=2026');
    const reportPage = await measure(await iterationsFor(iterations, runReportPage), runReportPage);
    const countEvents = await measure(Math.max(5, Math.floor(iterations / 10)), () => sql`select count(*) from cycle_events`.execute(db));
    log(`year report queries: ${ms(report)}; its page: ${ms(reportPage)} (counting every event: ${ms(countEvents)})`);

    const goals = { queryP95Ms: 20, pageP95Ms: 100 };
    const n = cycles.toLocaleString('en-US');
    const rows: DashboardBenchRow[] = [
      {
        scenario: `dashboard stalled-cycles query, ${n} cycles`,
        measured: ms(query),
        baseline: `${ms(indexRead)} bare index read`,
        ratio: (query.p95 / indexRead.p95).toFixed(1),
        goal: `p95 ≤ ${goals.queryP95Ms} ms`,
        pass: query.p95 <= goals.queryP95Ms,
      },
      {
        scenario: `dashboard page, ${n} cycles`,
        measured: ms(page),
        baseline: `${ms(healthz)} GET /healthz`,
        ratio: (page.p95 / healthz.p95).toFixed(1),
        goal: `p95 ≤ ${goals.pageP95Ms} ms`,
        pass: page.p95 <= goals.pageP95Ms,
      },
      {
        scenario: `dashboard page by program, ${n} cycles`,
        measured: ms(pageFiltered),
        baseline: `${ms(healthz)} GET /healthz`,
        ratio: (pageFiltered.p95 / healthz.p95).toFixed(1),
        goal: `p95 ≤ ${goals.pageP95Ms} ms`,
        pass: pageFiltered.p95 <= goals.pageP95Ms,
      },
      {
        scenario: `year report queries, ${n} cycles`,
        measured: ms(report),
        baseline: `${ms(countEvents)} count of every event`,
        ratio: (report.p95 / countEvents.p95).toFixed(1),
        goal: `p95 ≤ ${goals.queryP95Ms} ms`,
        pass: report.p95 <= goals.queryP95Ms,
      },
      {
        scenario: `year report page, ${n} cycles`,
        measured: ms(reportPage),
        baseline: `${ms(healthz)} GET /healthz`,
        ratio: (reportPage.p95 / healthz.p95).toFixed(1),
        goal: `p95 ≤ ${goals.pageP95Ms} ms`,
        pass: reportPage.p95 <= goals.pageP95Ms,
      },
      {
        scenario: `dashboard pair page, ${n} cycles`,
        measured: ms(pairPage),
        baseline: `${ms(healthz)} GET /healthz`,
        ratio: (pairPage.p95 / healthz.p95).toFixed(1),
        goal: `p95 ≤ ${goals.pageP95Ms} ms`,
        pass: pairPage.p95 <= goals.pageP95Ms,
      },
    ];
    return {
      benchmark: 'dashboard',
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      cycles,
      stalled,
      seedSeconds,
      query,
      page,
      pageFiltered,
      report,
      reportPage,
      pairPage,
      baselines: { indexRead, healthz, countEvents },
      goals,
      goalsMet: rows.every((r) => r.pass),
      rows,
    };
  } finally {
    await web?.close();
    mailer.close();
    await db.destroy();
    if (options.keepDatabase) log(`dashboard bench: kept ${databaseUrl.toString()}`);
    else await dropDatabase(databaseUrl.toString());
  }
}

/**
 * Each seeded cycle's timeline, as the projection writes it: steps opened and completed, most
 * check-ins held and some missed, goals updated and mostly reviewed, feedback from one or both,
 * the stalled cycles' ladder rungs (half referred) and the paused cycles' pauses.
 */
async function seedTimelines(db: ReturnType<typeof createDb>, cycles: number): Promise<void> {
  await sql`
    insert into cycle_events (cycle_id, event_key, occurred_at, step, kind, detail)
    select md5('cycle' || i)::uuid, t.n || '-' || t.kind, timestamptz '2026-09-01' + (t.n || ' days')::interval, t.step, t.kind, t.detail::jsonb
    from generate_series(1, ${cycles}) as i
    cross join (values
      (1, 'expectations', 'step-opened', '{}', 'always'),
      (2, 'expectations', 'step-completed', '{"phase":"acknowledged"}', 'expectations'),
      (21, 'check-in-1', 'step-opened', '{}', 'always'),
      (40, 'check-in-1', 'step-completed', '{"phase":"held"}', 'held'),
      (91, 'check-in-2', 'step-opened', '{}', 'always'),
      (120, 'check-in-2', 'check-in-missed', '{"round":0}', 'missed'),
      (130, 'check-in-2', 'step-completed', '{"phase":"held"}', 'held'),
      (182, 'check-in-3', 'step-opened', '{}', 'always'),
      (183, 'training-goals', 'step-opened', '{}', 'always'),
      (200, 'training-goals', 'training-goals-updated', '{"round":0}', 'goals'),
      (210, 'training-goals', 'step-completed', '{"phase":"reviewed"}', 'reviewed'),
      (301, 'feedback', 'feedback-submitted', '{"by":"mentor"}', 'mentor-feedback'),
      (302, 'feedback', 'feedback-submitted', '{"by":"mentee"}', 'mentee-feedback'),
      (56, 'expectations', 'ladder-rung', '{"rung":"notify-coordinator","index":2}', 'stalled'),
      (63, 'expectations', 'ladder-rung', '{"rung":"refer-resource","index":3}', 'referred'),
      (100, null, 'cycle-paused', '{"reason":"leave"}', 'paused')
    ) as t(n, step, kind, detail, rule)
    where case t.rule
      when 'always' then true
      when 'expectations' then i % 10 <> 0 and i % 100 >= 4
      when 'held' then (i + t.n) % 5 <> 0
      when 'missed' then i % 7 = 0
      when 'goals' then i % 3 <> 0
      when 'reviewed' then i % 3 <> 0 and i % 4 <> 0
      when 'mentor-feedback' then i % 2 = 0
      when 'mentee-feedback' then i % 3 = 0
      when 'stalled' then i % 100 < 4
      when 'referred' then i % 100 < 2
      when 'paused' then i % 100 between 4 and 6
    end`.execute(db);
}

if (import.meta.main) {
  const cycles = process.argv[2] ? Number(process.argv[2]) : undefined;
  if (cycles !== undefined && (!Number.isInteger(cycles) || cycles < 100))
    throw new Error(`bench/dashboard.ts: cycles must be a whole number ≥ 100 (got ${process.argv[2]})`);
  const result = await runDashboardBench({ cycles, keepDatabase: process.env.BENCH_KEEP_DB === '1' });
  for (const r of result.rows) console.log(`${r.pass ? 'pass' : 'FAIL'}  ${r.scenario}: ${r.measured} (goal ${r.goal}; baseline ${r.baseline})`);
  process.exitCode = result.goalsMet ? 0 : 1;
}
