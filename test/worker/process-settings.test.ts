import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import {
  cacheOutgrowsHeap,
  DEFAULT_WORKFLOW_CACHE_SIZE,
  missingLaunchSettings,
  stickyQueueWaitMs,
  WORKER_HEAP_MB,
  workerHeapMbFor,
  workerNodeOptions,
  workerProcessEnv,
} from '../../src/worker/process-settings.ts';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('worker launch settings', () => {
  it('are what docker-compose.yml gives the worker service', () => {
    const service = read('docker-compose.yml')
      .split(/^  tandem-worker:$/m)[1]!
      .split(/^  \S/m)[0]!;
    expect(service).toContain(`NODE_OPTIONS: ${workerProcessEnv().NODE_OPTIONS}\n`);
    expect(service).toContain(`MALLOC_ARENA_MAX: "${workerProcessEnv().MALLOC_ARENA_MAX}"\n`);
  });

  it('are what `npm run worker` starts the CLI worker with', () => {
    const script: string = JSON.parse(read('package.json')).scripts.worker;
    expect(script).toBe(`MALLOC_ARENA_MAX=${workerProcessEnv().MALLOC_ARENA_MAX} NODE_OPTIONS='${workerNodeOptions()}' node src/cli/main.ts worker`);
  });

  it('leave the heap cap out when asked for Node’s default heap', () => {
    expect(workerNodeOptions(0)).toBe('--max-semi-space-size=2');
    expect(workerNodeOptions()).toBe('--max-old-space-size=384 --max-semi-space-size=2');
  });

  it('name what a launch lacks', () => {
    expect(missingLaunchSettings({ ...workerProcessEnv() }, [])).toEqual([]);
    expect(missingLaunchSettings({}, ['--max-old-space-size=512'])).toEqual(['NODE_OPTIONS --max-semi-space-size=2', 'MALLOC_ARENA_MAX=2']);
  });
});

describe('the workflow cache', () => {
  const config = (value?: string) =>
    loadConfig({ ...(value === undefined ? {} : { TANDEM_WORKFLOW_CACHE_SIZE: value }), TANDEM_DATA_DIR: '/tmp/tandem-cache-test' });

  it('defaults to the size the deployed heap was measured with, and takes a department’s own', () => {
    expect(config().workflowCacheSize).toBe(DEFAULT_WORKFLOW_CACHE_SIZE);
    expect(config('6000').workflowCacheSize).toBe(6000);
  });

  it('refuses a size the SDK cannot use, naming the variable', () => {
    for (const bad of ['0', '1', '-5', '2.5', 'lots']) expect(() => config(bad)).toThrow(/^TANDEM_WORKFLOW_CACHE_SIZE: must be a whole number from/);
  });

  it('needs more heap for each cycle cached beyond the default', () => {
    expect(workerHeapMbFor(DEFAULT_WORKFLOW_CACHE_SIZE)).toBe(WORKER_HEAP_MB);
    expect(workerHeapMbFor(10)).toBe(WORKER_HEAP_MB);
    expect(workerHeapMbFor(5_000)).toBeGreaterThan(WORKER_HEAP_MB + 1_000);
  });

  it('lets a cohort of every cached cycle wait on the worker’s own queue long enough, never less than the SDK’s 10 s', () => {
    expect(stickyQueueWaitMs(DEFAULT_WORKFLOW_CACHE_SIZE)).toBe(10_000);
    expect(stickyQueueWaitMs(6_000)).toBe(240_000);
  });

  it('stops a worker whose cache would outgrow its heap, saying what to start it with', () => {
    expect(cacheOutgrowsHeap(DEFAULT_WORKFLOW_CACHE_SIZE, WORKER_HEAP_MB)).toBeNull();
    expect(cacheOutgrowsHeap(5_000, 4_096)).toBeNull();
    const why = cacheOutgrowsHeap(5_000, WORKER_HEAP_MB);
    expect(why).toContain(`--max-old-space-size=${workerHeapMbFor(5_000)}`);
    expect(why).toContain(`this process has ${WORKER_HEAP_MB} MB`);
  });

  it('is checked by `tandem worker` before it opens anything', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'src/cli/main.ts'), 'worker'], {
      env: { ...process.env, ...workerProcessEnv(), TANDEM_WORKFLOW_CACHE_SIZE: '100000', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`TANDEM_WORKFLOW_CACHE_SIZE: 100000 cached cycles need a heap of ${workerHeapMbFor(100_000)} MB`);
  });
});
