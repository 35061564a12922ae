/**
 * npm run bench — every benchmark scenario in sequence, each on its own throwaway Temporal dev
 * server and Postgres database, printed as one table and written as JSON.
 *
 *   npm run bench                               full size (5,000 pairs, 10,000 messages, …)
 *   npm run bench -- --quick                    everything scaled down for a quick look
 *   npm run bench -- --pairs 500 --invites 500 --cycles 500 --dashboard-cycles 10000
 *   npm run bench -- --only enroll,burst        a subset (enroll, enroll-web, burst, dashboard, memory, history)
 *   npm run bench -- --out results.json         JSON elsewhere (default bench/results/latest.json)
 *   npm run bench -- --worker-heap 0            the worker on Node's default heap limit (default: 384 MB, as deployed)
 *
 * Each measured figure comes with a raw baseline measured in the same run (where one exists)
 * and the ratio between them: on a shared machine the ratio is what to compare across runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBurstBench } from './burst.ts';
import { runDashboardBench, type DashboardBenchRow } from './dashboard.ts';
import { runEnrollBench } from './enroll.ts';
import { PREVIEW_P95_GOAL_SECONDS, runEnrollWebBench, WEB_TO_CLI_GOAL } from './enroll-web.ts';
import { runWorkerMemoryBench } from './worker-memory.ts';
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
  invites: size(flags.invites, 5_000, 500),
  cycles: size(flags.cycles, 5_000, 500),
  dashboardCycles: size(flags['dashboard-cycles'], 100_000, 10_000),
};
const SCENARIOS = ['enroll', 'enroll-web', 'burst', 'dashboard', 'memory', 'history'] as const;
const only = flags.only ? flags.only.split(',').map((s) => s.trim()) : [...SCENARIOS];
for (const s of only) if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`bench: --only: unknown scenario "${s}" (known: ${SCENARIOS.join(', ')})`);

const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const log = (line: string) => console.log(`  ${line}`);
const rows: Row[] = [];
const details: Record<string, unknown> = {};

async function scenario(name: (typeof SCENARIOS)[number], run: () => Promise<Row[]>): Promise<void> {
  if (!only.includes(name)) return;
  console.log(`\n▶ ${name}`);
  const t0 = performance.now();
  try {
    rows.push(...(await run()));
  } catch (error) {
    console.error(`  ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    rows.push({ scenario: name, measured: 'failed', baseline: '—', ratio: '—', goal: '—', pass: false });
    details[name] = { error: String(error) };
  }
  console.log(`  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

await scenario('enroll', async () => {
  const r = await runEnrollBench({ pairs: sizes.pairs, log });
  details.enroll = r;
  return [{ scenario: `enroll ${n(r.pairs)} pairs`, measured: `${n(r.enrollPairsPerSecond)} pairs/s`, baseline: `${n(r.rawStartsPerSecond.mean)} no-op starts/s`, ratio: r.ratio.toFixed(2), goal: `≥ ${r.goal}`, pass: r.goalMet }];
});

await scenario('enroll-web', async () => {
  const r = await runEnrollWebBench({ pairs: sizes.pairs, samples: flags.quick ? 5 : 10, log });
  details['enroll-web'] = r;
  return [
    { scenario: `enrollment page: preview ${n(r.pairs)} rows (p95 of ${r.previewSeconds.length})`, measured: `${r.previewP95Seconds.toFixed(2)} s`, baseline: '—', ratio: '—', goal: `≤ ${PREVIEW_P95_GOAL_SECONDS} s`, pass: r.previewGoalMet },
    { scenario: `enrollment page: import ${n(r.pairs)} pairs`, measured: `${n(r.webPairsPerSecond)} pairs/s`, baseline: `${n(r.cliPairsPerSecond)} pairs/s CLI path`, ratio: r.ratio.toFixed(2), goal: `≥ ${WEB_TO_CLI_GOAL}`, pass: r.ratioGoalMet },
  ];
});

await scenario('burst', async () => {
  const r = await runBurstBench({ invites: sizes.invites, log });
  details.burst = r;
  return [{ scenario: `burst ${n(r.invites)} invites = ${n(r.messages)} msgs`, measured: `${n(r.inviteMessagesPerSecond)} msg/s`, baseline: `${n(r.rawMessagesPerSecond.mean)} msg/s plain nodemailer`, ratio: r.ratio.toFixed(2), goal: `≥ ${r.goal}`, pass: r.goalMet }];
});

await scenario('dashboard', async () => {
  const r = await runDashboardBench({ cycles: sizes.dashboardCycles, log });
  details.dashboard = r;
  return r.rows;
});

await scenario('memory', async () => {
  const r = await runWorkerMemoryBench({ cycles: sizes.cycles, log, heapMb: flags['worker-heap'] === undefined ? undefined : Number(flags['worker-heap']) });
  details.memory = r;
  return [{ scenario: `worker RSS, ${n(r.cycles)} open cycles${r.heapMb ? ` (heap cap ${r.heapMb} MB)` : ' (Node default heap)'}`, measured: `${n(r.loadedRssMb)} MB`, baseline: `${n(r.idleRssMb)} MB idle worker`, ratio: r.ratio.toFixed(2), goal: `< ${r.goalMb} MB`, pass: r.goalMet }];
});

await scenario('history', async () => {
  const r = await runYearHistoryBench({ log });
  details.history = r;
  return [{ scenario: 'events in a full year (all steps stall)', measured: `${n(r.events)} events`, baseline: '—', ratio: '—', goal: `< ${n(r.goal)}`, pass: r.goalMet }];
});

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${osType()} ${release()}` };
const headers = ['scenario', 'measured', 'baseline (same run)', 'ratio', 'goal', 'result'];
const cells = rows.map((r) => [r.scenario, r.measured, r.baseline, r.ratio, r.goal, r.pass === null ? 'missing' : r.pass ? 'pass' : 'FAIL']);
const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
console.log(`\n${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
console.log(line(headers));
console.log(widths.map((w) => '─'.repeat(w)).join('  '));
for (const c of cells) console.log(line(c));

const out = path.resolve(flags.out ?? path.join(import.meta.dirname, 'results', 'latest.json'));
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), machine, sizes, rows, details }, null, 2) + '\n');
console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
process.exitCode = rows.some((r) => r.pass === false) ? 1 : 0;
