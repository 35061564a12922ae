/**
 * A worker launched as deployed plus the measuring probe (bench/support/worker-probe.ts) and,
 * when asked, `--cpu-prof`: the options to hand startWorkerStack, and the summaries after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { workerHeapMbFor, workerNodeOptions } from '../../src/worker/process-settings.ts';
import { benchWorkflowCacheSize } from './worker-process.ts';
import { summarizeProcessProfiles, type CpuSummary } from './cpu-profile.ts';
import { workerProbe, type Probe } from './probe-readings.ts';
import type { WorkerStack } from './worker-stack.ts';

export interface ProbedWorker {
  probe: Probe;
  /** Environment for the worker child (NODE_OPTIONS keeps the deployed flags), made as it starts. */
  extraEnv: () => Promise<Record<string, string>>;
  /** Stops the stack (the worker writes its CPU profiles as it exits) and returns their summaries (empty unless cpuProfile). */
  finish(stack: WorkerStack): Promise<CpuSummary[]>;
}

/** `vmNoTimeout`: the experiment in worker-probe.ts (workflow sandbox calls without the vm watchdog). */
export async function probedWorker(options: { cpuProfile?: boolean; heapMb?: number; vmNoTimeout?: boolean } = {}): Promise<ProbedWorker> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-probe-'));
  const probe = workerProbe(path.join(dir, 'probe.json'));
  const flags = [
    workerNodeOptions(options.heapMb ?? workerHeapMbFor(benchWorkflowCacheSize())),
    `--import=${path.join(import.meta.dirname, 'worker-probe.ts')}`,
    ...(options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []),
  ];
  return {
    probe,
    extraEnv: async () => ({ ...(await probe.env()), NODE_OPTIONS: flags.join(' '), ...(options.vmNoTimeout ? { PROBE_VM_NO_TIMEOUT: '1' } : {}) }),
    async finish(stack) {
      const pid = stack.worker.child.pid!;
      try {
        await stack.stop();
        return options.cpuProfile ? summarizeProcessProfiles(dir, pid) : [];
      } finally {
        // BENCH_KEEP_PROFILES=1 keeps the .cpuprofile files for a closer look (Chrome DevTools, speedscope).
        if (options.cpuProfile && process.env.BENCH_KEEP_PROFILES) console.log(`  CPU profiles kept in ${dir}`);
        else rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
