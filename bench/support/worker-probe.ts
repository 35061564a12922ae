/**
 * A measuring probe for a worker child process, loaded with `node --import` so the worker
 * runs unchanged. It counts every Postgres query the process sends (each `query()` is one
 * round trip: pg does not pipeline) and turns on the SDK's Prometheus metrics (workflow task
 * latencies, sticky-cache hits and misses, activity latencies) on PROBE_METRICS_ADDRESS.
 * The counts are written to PROBE_FILE every second and at exit. (The workflow bundler's
 * child process loads it too, and writes zeros once at its start; the worker's own writes follow.)
 */
import { writeFileSync } from 'node:fs';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import pg from 'pg';
import { Runtime } from '@temporalio/worker';

// Threads inherit --import: only the process's main thread (where activities run) counts.
const file = isMainThread ? process.env.PROBE_FILE : undefined;
const metricsAddress = isMainThread ? process.env.PROBE_METRICS_ADDRESS : undefined;

const counts: Record<string, number> = { total: 0 };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
  const verb = /^\s*(\w+)(?:\s+(?:into|from)?\s*"?(\w+)"?)?/i.exec(text);
  const key = verb ? `${verb[1]!.toLowerCase()}${verb[2] && /^(insert|update|delete)$/i.test(verb[1]!) ? ` ${verb[2]}` : ''}` : 'other';
  counts.total!++;
  counts[key] = (counts[key] ?? 0) + 1;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

if (file) {
  const flush = () => writeFileSync(file, JSON.stringify({ at: Date.now(), queries: counts }));
  setInterval(flush, 1_000).unref();
  process.on('exit', flush);
}

if (metricsAddress) {
  const install = Runtime.install.bind(Runtime);
  Runtime.install = (options) =>
    install({ ...options, telemetryOptions: { ...options.telemetryOptions, metrics: { prometheus: { bindAddress: metricsAddress } } } });
}

// An experiment, not a setting: PROBE_VM_NO_TIMEOUT=1 runs the workflow sandbox's calls without
// the vm `timeout` option. Node starts and joins a watchdog thread for every call made with a
// timeout (nodejs/node#47739); the SDK passes isolateExecutionTimeout (5 s) on each call into
// the workflow context, several per activation. Measures what those threads cost.
if (process.env.PROBE_VM_NO_TIMEOUT === '1') {
  const runInContext = vm.Script.prototype.runInContext;
  vm.Script.prototype.runInContext = function (this: vm.Script, context: vm.Context, options?: vm.RunningScriptOptions) {
    return runInContext.call(this, context, options && { ...options, timeout: undefined });
  };
}
