import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.ts';
import { loadConfig } from '../../src/config/env.ts';

describe('enrollment configuration and progress output', () => {
  it('keeps the API off without a token and refuses a short one', () => {
    expect(loadConfig({}).apiToken).toBeUndefined();
    expect(loadConfig({}).enrollConcurrency).toBe(64);
    expect(loadConfig({ TANDEM_API_TOKEN: 'x'.repeat(32), TANDEM_ENROLL_CONCURRENCY: '8' })).toMatchObject({ apiToken: 'x'.repeat(32), enrollConcurrency: 8 });
    expect(() => loadConfig({ TANDEM_API_TOKEN: 'short' })).toThrow('TANDEM_API_TOKEN: must be at least 32 characters (got 5)');
    expect(() => loadConfig({ TANDEM_ENROLL_CONCURRENCY: 'lots' })).toThrow('TANDEM_ENROLL_CONCURRENCY: must be a whole number from 1 to 1000 (got "lots")');
  });

  const fakeStream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, columns: 100, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream };
  };

  it('redraws one bar with rate and ETA on a terminal', () => {
    let t = 0;
    const { written, stream } = fakeStream(true);
    const progress = createProgress('Starting cycles', stream, () => t);
    t = 1_000;
    progress.update(100, 400);
    t = 1_050;
    progress.update(101, 400); // under 100 ms since the last draw: skipped
    t = 2_000;
    progress.update(200, 400);
    progress.finish();
    expect(written).toHaveLength(3);
    expect(written[0]).toMatch(/^\rStarting cycles \[#+-+\] 100\/400 25% 100\/s ETA 3s/);
    expect(written[1]).toMatch(/200\/400 50% 100\/s ETA 2s/);
    expect(written[2]).toBe('\rStarting cycles: 200/400 in 2s\x1b[K\n');
  });

  it('writes a plain line every two seconds and at the end elsewhere (CI)', () => {
    let t = 0;
    const { written, stream } = fakeStream(false);
    const progress = createProgress('Starting cycles', stream, () => t);
    for (let done = 1; done <= 50; done++) {
      t = done * 100;
      progress.update(done, 50);
    }
    progress.finish();
    expect(written).toEqual([
      'Starting cycles: 20/50 40% 10/s ETA 3s\n',
      'Starting cycles: 40/50 80% 10/s ETA 1s\n',
      'Starting cycles: 50/50 100% 10/s ETA 0s\n',
    ]);
  });
});
