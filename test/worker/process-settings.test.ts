import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingLaunchSettings, workerNodeOptions, workerProcessEnv } from '../../src/worker/process-settings.ts';

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
