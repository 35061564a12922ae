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
