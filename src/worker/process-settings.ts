/**
 * How the worker process is launched: settings that only take effect at process start, so
 * they live in its environment. docker-compose.yml, `npm run worker` and the benchmarks give
 * the worker exactly these (test/worker/process-settings.test.ts keeps them in step).
 *
 * Measured with `npm run bench -- --only memory` (README, Performance and reliability):
 * - `--max-semi-space-size=2`: V8 otherwise grows each isolate's young generation (the main
 *   thread's and the workflow thread's, which inherits the flags) to tens of MB under load and
 *   only gives it back after the load stops; that was most of the growth with open cycles.
 * - `--max-old-space-size=384`: without a cap V8 lets the workflow thread's heap grow for GiBs
 *   before collecting.
 * - `MALLOC_ARENA_MAX=2`: glibc gives each native thread (the Rust core's, V8's, libuv's) its own
 *   malloc arena and keeps what it frees; two arenas hold far less for the same work.
 */
export const WORKER_HEAP_MB = 384;
export const WORKER_SEMI_SPACE_MB = 2;

/**
 * Cycles kept in the worker's sticky cache (TANDEM_WORKFLOW_CACHE_SIZE): memory against CPU.
 * A cached cycle resumes where it waits; an evicted one replays its whole history on the
 * workflow thread when it next wakes, which is most of the CPU of a cohort waking at once.
 * 250 keeps a worker with 50,000 open cycles under 400 MB (`npm run bench -- --only memory`).
 */
export const DEFAULT_WORKFLOW_CACHE_SIZE = 250;

/**
 * Memory one cached cycle holds, with a margin (docs/benchmarks.md, 2026-12-03): 5,000 open
 * cycles took 1,429 MB of worker RSS all cached, 318 MB at 250 (0.24 MB a cycle); 1,164 MB
 * (0.19) once the domain modules were shared (WORKFLOW_BUNDLE_OPTIONS). The rest is the SDK's
 * per-workflow globals and the workflows' own modules, so it hardly depends on a cycle's state.
 */
export const CACHED_CYCLE_MB = 0.24;

/**
 * How long a task waits on this worker's own (sticky) queue before the server hands it, with the
 * whole history, to any worker. A cohort waking at once queues every cached cycle there; past
 * this wait a cycle is replayed after all. 40 ms a cached cycle is half the pace one worker on
 * two cores takes them at (the wake-up bench), and never less than the SDK's 10 s. The cost:
 * a task already queued for a worker that dies waits this long before a peer takes it.
 */
export function stickyQueueWaitMs(cacheSize: number): number {
  return Math.max(10_000, cacheSize * 40);
}

/** The heap cap (--max-old-space-size) a worker with this cache needs: as deployed, plus each cycle cached beyond the default. */
export function workerHeapMbFor(cacheSize: number): number {
  return WORKER_HEAP_MB + Math.ceil(Math.max(0, cacheSize - DEFAULT_WORKFLOW_CACHE_SIZE) * CACHED_CYCLE_MB);
}

export function workerNodeOptions(heapMb: number = WORKER_HEAP_MB): string {
  return [...(heapMb ? [`--max-old-space-size=${heapMb}`] : []), `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`].join(' ');
}

/** The environment the worker process is started with; `heapMb` 0 leaves Node's default heap limit. */
export function workerProcessEnv(heapMb: number = WORKER_HEAP_MB): { NODE_OPTIONS: string; MALLOC_ARENA_MAX: string } {
  return { NODE_OPTIONS: workerNodeOptions(heapMb), MALLOC_ARENA_MAX: '2' };
}

/**
 * What this process's launch lacks of workerProcessEnv(), as `NAME=value` hints (empty when
 * launched as intended). The worker logs them at start: it still runs, just bigger.
 */
export function missingLaunchSettings(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): string[] {
  const flags = `${env.NODE_OPTIONS ?? ''} ${execArgv.join(' ')}`;
  const missing: string[] = [];
  for (const flag of workerNodeOptions().split(' ')) {
    const name = flag.split('=')[0]!;
    if (!flags.includes(`${name}=`)) missing.push(`NODE_OPTIONS ${flag}`);
  }
  if (!env.MALLOC_ARENA_MAX) missing.push('MALLOC_ARENA_MAX=2');
  return missing;
}

/**
 * Why this process cannot hold a cache of `cacheSize` cycles in its heap, or null when it can.
 * A worker whose cache outgrows its heap dies when a cohort wakes, so it refuses to start.
 */
export function cacheOutgrowsHeap(cacheSize: number, heapLimitMb: number): string | null {
  const needed = workerHeapMbFor(cacheSize);
  if (heapLimitMb >= needed) return null;
  return `${cacheSize} cached cycles need a heap of ${needed} MB (about ${CACHED_CYCLE_MB} MB a cached cycle); this process has ${Math.floor(heapLimitMb)} MB: start it with NODE_OPTIONS --max-old-space-size=${needed}, or lower the cache`;
}
