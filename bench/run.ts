/**
 * npm run bench — every benchmark scenario in sequence, each on its own throwaway Temporal dev
 * server and Postgres database, printed as one table and written as JSON.
 *
 *   npm run bench                               full size (5,000 pairs, 10,000 messages, 1,000,000 dashboard cycles, 50,000 open cycles, …)
 *   npm run bench -- --quick                    everything at a tenth of the size
 *   npm run bench -- --pairs 500 --invites 500 --cycles 5000 --dashboard-cycles 100000
 *   npm run bench -- --only roster,wake         a subset (enroll, enroll-web, burst, roster, wake, dashboard, memory, actions, history);
 *                                               the other scenarios' figures in the JSON are kept from its last run
 *   npm run bench -- --profile                  also profile the worker's CPU (--cpu-prof) in roster and wake
 *   npm run bench -- --vm-no-timeout            roster and wake with the worker's workflow sandbox calls made without Node's vm watchdog (an experiment, see bench/support/worker-probe.ts)
 *   npm run bench -- --wake-pairs 1000         the wake-up's cohort size (default --pairs)
 *   npm run bench -- --wake-setup 600           seconds from the wake cohort's enrollment to its window (default from the roster's pace)
 *   npm run bench -- --out results.json         JSON elsewhere (default bench/results/latest.json)
 *   npm run bench -- --worker-heap 0            the worker on Node's default heap limit (default: 384 MB, as deployed)
 *   npm run bench -- --worker-cache 6000        the workers' TANDEM_WORKFLOW_CACHE_SIZE (default 250), heap cap raised to match
 *
 * Stable keys in the JSON, for comparing runs: rosterToFirstEmail.ratio, quarterWakeUp.ratio,
 * dashboard1M.pageP95Ms, memory50k.rssMb, actionsPerPairYear.done, actionsPerPairYear.stalled.
 *
 * Each measured figure comes with a raw baseline measured in the same run (where one exists)
 * and the ratio between them: on a shared machine the ratio is what to compare across runs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runActionsPerPairYearBench } from './actions-per-pair-year.ts';
import { runBurstBench } from './burst.ts';
import { runDashboardBench, type DashboardBenchRow } from './dashboard.ts';
import { runEnrollBench } from './enroll.ts';
import { PREVIEW_P95_GOAL_SECONDS, runEnrollWebBench, WEB_TO_CLI_GOAL } from './enroll-web.ts';
import { runQuarterWakeUpBench } from './quarter-wake-up.ts';
import { runRosterToFirstEmailBench } from './roster-to-first-email.ts';
import { runWorkerMemoryBench } from './worker-memory.ts';
import { DEFAULT_WORKFLOW_CACHE_SIZE } from '../src/worker/process-settings.ts';
import { benchWorkflowCacheSize } from './support/worker-process.ts';
import { runYearHistoryBench } from './year-history.ts';

/** One line of the table; every scenario reports in the dashboard bench's row shape. */
export type Row = DashboardBenchRow;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    pairs: { type: 'string' },
    invites: { type: 'string' },
    cycles: { type: 'string' },
    'dashboard-cycles': { type: 'string' },
    'worker-heap': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'wake-setup': { type: 'string' },
    'wake-pairs': { type: 'string' },
    'vm-no-timeout': { type: 'boolean', default: false },
    'worker-cache': { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});

function size(flag: string | undefined, full: number, quick: number): number {
  const n = flag === undefined ? (flags.quick ? quick : full) : Number(flag);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench: expected a whole number ≥ 1, got ${JSON.stringify(flag)}`);
  return n;
}

const sizes = {
  pairs: size(flags.pairs, 5_000, 500),
  wakePairs: size(flags['wake-pairs'] ?? flags.pairs, 5_000, 500),
  invites: size(flags.invites, 5_000, 500),
  cycles: size(flags.cycles, 50_000, 5_000),
  dashboardCycles: size(flags['dashboard-cycles'], 1_000_000, 100_000),
};
// Every worker child the benches start inherits it (bench/support/worker-process.ts).
if (flags['worker-cache'] !== undefined) process.env.TANDEM_WORKFLOW_CACHE_SIZE = String(size(flags['worker-cache'], 0, 0));
/** Rows measured with another cache than the deployed default say so. */
const cacheNote = () => (benchWorkflowCacheSize() === DEFAULT_WORKFLOW_CACHE_SIZE ? '' : ` (cache of ${n(benchWorkflowCacheSize())})`);
const SCENARIOS = ['enroll', 'enroll-web', 'burst', 'roster', 'wake', 'dashboard', 'memory', 'actions', 'history'] as const;
const only = flags.only ? flags.only.split(',').map((s) => s.trim()) : [...SCENARIOS];
for (const s of only)
  if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`bench: --only: unknown scenario "${s}" (known: ${SCENARIOS.join(', ')})`);

const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const log = (line: string) => console.log(`  ${line}`);
const out = path.resolve(flags.out ?? path.join(import.meta.dirname, 'results', 'latest.json'));
const rowsByScenario: Record<string, Row[]> = {};
const details: Record<string, unknown> = {};
/** The stable keys (rosterToFirstEmail.ratio, …), by scenario. */
const keys: Record<string, unknown> = {};

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  os: `${osType()} ${release()}`,
};

/**
 * Writes the results file, after every scenario (a run stopped part way keeps what finished).
 * A subset run replaces only its own scenarios' rows and keys; the file is read again each
 * time, so two subset runs, one after the other, both keep their figures.
 */
function save(): Row[] {
  type Results = { rowsByScenario?: Record<string, Row[]>; keys?: Record<string, unknown>; details?: Record<string, unknown> };
  const previous = (flags.only && existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {}) as Results;
  const allRows = { ...previous.rowsByScenario, ...rowsByScenario };
  const allKeys = { ...previous.keys, ...keys };
  const rows = SCENARIOS.flatMap((name) => allRows[name] ?? []);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      { at: new Date().toISOString(), machine, sizes, ...allKeys, keys: allKeys, rows, rowsByScenario: allRows, details: { ...previous.details, ...details } },
      null,
      2,
    ) + '\n',
  );
  return rows;
}

async function scenario(name: (typeof SCENARIOS)[number], run: () => Promise<Row[]>): Promise<void> {
  if (!only.includes(name)) return;
  console.log(`\n▶ ${name}`);
  const t0 = performance.now();
  try {
    rowsByScenario[name] = await run();
  } catch (error) {
    console.error(`  ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    rowsByScenario[name] = [{ scenario: name, measured: 'failed', baseline: '—', ratio: '—', goal: '—', pass: false }];
    details[name] = { error: String(error) };
  }
  save();
  console.log(`  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

await scenario('enroll', async () => {
  const r = await runEnrollBench({ pairs: sizes.pairs, log });
  details.enroll = r;
  return [
    {
      scenario: `enroll ${n(r.pairs)} pairs`,
      measured: `${n(r.enrollPairsPerSecond)} pairs/s`,
      baseline: `${n(r.rawStartsPerSecond.mean)} no-op starts/s`,
      ratio: r.ratio.toFixed(2),
      goal: `≥ ${r.goal}`,
      pass: r.goalMet,
    },
  ];
});

await scenario('enroll-web', async () => {
  const r = await runEnrollWebBench({ pairs: sizes.pairs, samples: flags.quick ? 5 : 10, log });
  details['enroll-web'] = r;
  return [
    {
      scenario: `enrollment page: preview ${n(r.pairs)} rows (p95 of ${r.previewSeconds.length})`,
      measured: `${r.previewP95Seconds.toFixed(2)} s`,
      baseline: '—',
      ratio: '—',
      goal: `≤ ${PREVIEW_P95_GOAL_SECONDS} s`,
      pass: r.previewGoalMet,
    },
    {
      scenario: `enrollment page: import ${n(r.pairs)} pairs`,
      measured: `${n(r.webPairsPerSecond)} pairs/s`,
      baseline: `${n(r.cliPairsPerSecond)} pairs/s CLI path`,
      ratio: r.ratio.toFixed(2),
      goal: `≥ ${WEB_TO_CLI_GOAL}`,
      pass: r.ratioGoalMet,
    },
  ];
});

await scenario('burst', async () => {
  const r = await runBurstBench({ invites: sizes.invites, log });
  details.burst = r;
  return [
    {
      scenario: `burst ${n(r.invites)} invites = ${n(r.messages)} msgs`,
      measured: `${n(r.inviteMessagesPerSecond)} msg/s`,
      baseline: `${n(r.rawMessagesPerSecond.mean)} msg/s plain nodemailer`,
      ratio: r.ratio.toFixed(2),
      goal: `≥ ${r.goal}`,
      pass: r.goalMet,
    },
  ];
});

await scenario('roster', async () => {
  const r = await runRosterToFirstEmailBench({ pairs: sizes.pairs, cpuProfile: flags.profile, vmNoTimeout: flags['vm-no-timeout'], log });
  details.roster = r;
  keys.rosterToFirstEmail = {
    ratio: r.ratio,
    seconds: r.seconds,
    baselineSeconds: r.baseline.seconds,
    pairs: r.pairs,
    goal: r.goal,
    workflowCacheSize: benchWorkflowCacheSize(),
  };
  return [
    {
      scenario: `roster to first email, ${n(r.pairs)} pairs${cacheNote()}`,
      measured: `${r.seconds.toFixed(0)} s (${r.pairsPerSecond.toFixed(1)} pairs/s)`,
      baseline: `${r.baseline.seconds.toFixed(0)} s one-activity workflows + plain nodemailer`,
      ratio: r.ratio.toFixed(2),
      goal: `≥ ${r.goal}`,
      pass: r.goalMet,
    },
  ];
});

await scenario('wake', async () => {
  // Enough time to enroll and agree the cohort before its window opens: six times the roster's time when it ran (measured: setup is about five), with a margin.
  const roster = details.roster as { seconds?: number; pairs?: number } | undefined;
  const setupSeconds = flags['wake-setup']
    ? Number(flags['wake-setup'])
    : roster?.seconds && only.includes('roster')
      ? Math.ceil(60 + 6 * roster.seconds * (sizes.wakePairs / roster.pairs!))
      : undefined;
  const r = await runQuarterWakeUpBench({ pairs: sizes.wakePairs, setupSeconds, cpuProfile: flags.profile, vmNoTimeout: flags['vm-no-timeout'], log });
  details.wake = r;
  keys.quarterWakeUp = {
    workflowCacheSize: benchWorkflowCacheSize(),
    ratio: r.ratio,
    seconds: r.wakeSeconds,
    baselineSeconds: r.baselines,
    pairs: r.pairs,
    historyEvents: r.historyEventsAtWakeUp,
    goal: r.goal,
  };
  const slower = Math.max(r.baselines.nodemailerSeconds, r.baselines.signalNoopSeconds);
  return [
    {
      scenario: `quarter wake-up, ${n(r.pairs)} cycles at one instant${cacheNote()}`,
      measured: `${r.wakeSeconds.toFixed(0)} s to every invite (${r.pairsPerSecond.toFixed(1)} pairs/s)`,
      baseline: `${slower.toFixed(0)} s (${slower === r.baselines.nodemailerSeconds ? 'plain nodemailer' : 'signal + no-op activity'}; other ${Math.min(r.baselines.nodemailerSeconds, r.baselines.signalNoopSeconds).toFixed(0)} s)`,
      ratio: r.ratio.toFixed(2),
      goal: `≥ ${r.goal}`,
      pass: r.goalMet,
    },
  ];
});

await scenario('dashboard', async () => {
  const r = await runDashboardBench({ cycles: sizes.dashboardCycles, log });
  details.dashboard = r;
  keys.dashboard1M = {
    cycles: r.cycles,
    pageP95Ms: Math.max(r.page.p95, r.pageFiltered.p95, r.pairPage.p95),
    queryP95Ms: r.query.p95,
    stalledPageP95Ms: r.page.p95,
    filteredPageP95Ms: r.pageFiltered.p95,
    pairPageP95Ms: r.pairPage.p95,
    seedSeconds: r.seedSeconds,
  };
  return r.rows;
});

await scenario('memory', async () => {
  const r = await runWorkerMemoryBench({
    cycles: sizes.cycles,
    nextYear: true,
    log,
    heapMb: flags['worker-heap'] === undefined ? undefined : Number(flags['worker-heap']),
  });
  details.memory = r;
  keys.memory50k = {
    workflowCacheSize: benchWorkflowCacheSize(),
    rssMb: r.loadedRssMb,
    idleRssMb: r.idleRssMb,
    cycles: r.cycles,
    enrollSeconds: r.enrollSeconds,
    importerPeakRssMb: r.importerPeakRssMb,
    goalMb: r.goalMb,
  };
  return [
    {
      scenario: `worker RSS, ${n(r.cycles)} open cycles${r.heapMb ? ` (heap cap ${r.heapMb} MB)` : ' (Node default heap)'}`,
      measured: `${n(r.loadedRssMb)} MB`,
      baseline: `${n(r.idleRssMb)} MB idle worker`,
      ratio: r.ratio.toFixed(2),
      goal: `< ${r.goalMb} MB`,
      pass: r.goalMet,
    },
    {
      scenario: `enroll a ${n(r.cycles)}-row roster, worker running`,
      measured: `${r.enrollSeconds.toFixed(0)} s (${(r.cycles / r.enrollSeconds).toFixed(0)} pairs/s), importer peak ${n(r.importerPeakRssMb)} MB RSS`,
      baseline: '—',
      ratio: '—',
      goal: 'no out-of-memory',
      pass: true,
    },
  ];
});

await scenario('actions', async () => {
  const r = await runActionsPerPairYearBench({ log });
  details.actions = r;
  keys.actionsPerPairYear = {
    done: r.done.total,
    stalled: r.stalled.total,
    doneEvents: r.done.events,
    stalledEvents: r.stalled.events,
    doneByKind: r.done.byKind,
    stalledByKind: r.stalled.byKind,
    pricePerMillionUsd: r.pricePerMillionUsd,
    priceAsOf: r.priceAsOf,
    goal: r.goal,
  };
  const usd = (x: number) => `$${x.toFixed(4)}`;
  return [
    {
      scenario: 'Temporal actions, a pair-year doing everything',
      measured: `${r.done.total} actions, ${r.done.events} events`,
      baseline: `${usd(r.done.costUsd)} at $${r.pricePerMillionUsd}/M (${r.priceAsOf})`,
      ratio: '—',
      goal: `< ${r.goal}`,
      pass: r.done.total < r.goal,
    },
    {
      scenario: 'Temporal actions, a pair-year stalling everywhere',
      measured: `${r.stalled.total} actions, ${r.stalled.events} events`,
      baseline: `${usd(r.stalled.costUsd)} at $${r.pricePerMillionUsd}/M (${r.priceAsOf})`,
      ratio: '—',
      goal: `< ${r.goal}`,
      pass: r.stalled.total < r.goal,
    },
  ];
});

await scenario('history', async () => {
  const r = await runYearHistoryBench({ log });
  details.history = r;
  return [
    {
      scenario: 'events in a full year (all steps stall)',
      measured: `${n(r.events)} events`,
      baseline: '—',
      ratio: '—',
      goal: `< ${n(r.goal)}`,
      pass: r.goalMet,
    },
  ];
});

const rows = save();
const headers = ['scenario', 'measured', 'baseline (same run)', 'ratio', 'goal', 'result'];
const cells = rows.map((r) => [r.scenario, r.measured, r.baseline, r.ratio, r.goal, r.pass === null ? 'missing' : r.pass ? 'pass' : 'FAIL']);
const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
console.log(`\n${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
console.log(line(headers));
console.log(widths.map((w) => '─'.repeat(w)).join('  '));
for (const c of cells) console.log(line(c));

console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
process.exitCode = rows.some((r) => r.pass === false) ? 1 : 0;
