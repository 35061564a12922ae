/**
 * Reading what bench/support/worker-probe.ts measures inside a worker: Postgres queries by
 * statement, and the SDK's Prometheus counters and histograms, as differences between two
 * readings (so a scenario reports only its own window).
 */
import { readFileSync } from 'node:fs';
import { freePort } from '../../src/dev/free-port.ts';

export interface ProbeReading {
  queries: Record<string, number>;
  /** Metric name (labels dropped, summed) → value; histograms as name_sum and name_count. */
  metrics: Record<string, number>;
}

export interface Probe {
  /** The probe's environment for the worker, its metrics port picked free now: call it just before the worker starts (a Temporal dev server started after the pick could take the port). */
  env(): Promise<Record<string, string>>;
  read(): Promise<ProbeReading>;
}

export function workerProbe(file: string): Probe {
  let address = '';
  return {
    async env() {
      address = `127.0.0.1:${await freePort()}`;
      return { PROBE_FILE: file, PROBE_METRICS_ADDRESS: address };
    },
    async read() {
      let queries: Record<string, number> = {};
      try {
        queries = (JSON.parse(readFileSync(file, 'utf8')) as { queries: Record<string, number> }).queries;
      } catch {
        // not written yet
      }
      const metrics: Record<string, number> = {};
      const text = await fetch(`http://${address}/metrics`).then(
        (r) => r.text(),
        () => '',
      );
      for (const line of text.split('\n')) {
        const m = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s+([-+\d.eE]+|NaN)$/.exec(line);
        if (!m || m[1]!.endsWith('_bucket')) continue;
        metrics[m[1]!] = (metrics[m[1]!] ?? 0) + Number(m[2]);
      }
      return { queries, metrics };
    },
  };
}

export function since(before: ProbeReading, after: ProbeReading): ProbeReading {
  const diff = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(
      Object.keys(b)
        .map((k) => [k, b[k]! - (a[k] ?? 0)])
        .filter(([, v]) => v !== 0),
    );
  return { queries: diff(before.queries, after.queries), metrics: diff(before.metrics, after.metrics) };
}

/** The figures a whole-path report needs, per unit (pair) where it says so. */
export function summarize(window: ProbeReading, units: number) {
  const m = window.metrics;
  const mean = (name: string) => (m[`${name}_count`] ? m[`${name}_sum`]! / m[`${name}_count`]! : null);
  const perUnit = (v: number | undefined) => (v === undefined ? null : Math.round((v / units) * 100) / 100);
  return {
    postgresQueriesPerPair: perUnit(window.queries.total ?? 0),
    postgresQueriesByStatement: Object.fromEntries(
      Object.entries(window.queries)
        .filter(([k]) => k !== 'total')
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12),
    ),
    workflowTasksPerPair: perUnit(m.temporal_workflow_task_execution_latency_count),
    workflowTaskScheduleToStartMeanMs: mean('temporal_workflow_task_schedule_to_start_latency'),
    workflowTaskExecutionMeanMs: mean('temporal_workflow_task_execution_latency'),
    workflowTaskReplayMeanMs: mean('temporal_workflow_task_replay_latency'),
    workflowTaskReplaysPerPair: perUnit(m.temporal_workflow_task_replay_latency_count),
    stickyCacheHits: m.temporal_sticky_cache_hit ?? 0,
    stickyCacheMisses: m.temporal_sticky_cache_miss ?? 0,
    activitiesPerPair: perUnit(m.temporal_activity_execution_latency_count),
    activityScheduleToStartMeanMs: mean('temporal_activity_schedule_to_start_latency'),
    activityExecutionMeanMs: mean('temporal_activity_execution_latency'),
  };
}

/** One line: where a pair's path went (Postgres, workflow tasks, activities, the cache). */
export function describePath(p: ReturnType<typeof summarize>): string {
  const ms = (v: number | null, digits = 0) => (v === null ? '—' : `${v.toFixed(digits)} ms`);
  return (
    `${p.postgresQueriesPerPair} Postgres queries, ${p.workflowTasksPerPair} workflow tasks (schedule-to-start ${ms(p.workflowTaskScheduleToStartMeanMs)}, execution ${ms(p.workflowTaskExecutionMeanMs, 1)}, ` +
    `${p.workflowTaskReplaysPerPair ?? 0} replays), ${p.activitiesPerPair} activities (schedule-to-start ${ms(p.activityScheduleToStartMeanMs)}, execution ${ms(p.activityExecutionMeanMs)}); sticky cache ${p.stickyCacheHits} hits / ${p.stickyCacheMisses} misses`
  );
}
