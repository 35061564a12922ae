/**
 * Finding — or building — the Temporal CLI, whose `server start-dev` is the real Temporal
 * server with SQLite persistence. Order: TEMPORAL_CLI, the project's tools folder, a
 * `temporal` on PATH, then a build with Go into the tools folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const TOOLS_BIN = path.resolve(import.meta.dirname, '../../.tools/bin');

function onPath(command: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const found = result.stdout.trim();
  return result.status === 0 && found ? found : undefined;
}

export function findTemporalCli(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.TEMPORAL_CLI) {
    if (!existsSync(env.TEMPORAL_CLI)) throw new Error(`TEMPORAL_CLI: file not found: ${env.TEMPORAL_CLI}`);
    return env.TEMPORAL_CLI;
  }
  const local = path.join(TOOLS_BIN, 'temporal');
  if (existsSync(local)) return local;
  return onPath('temporal');
}

/** Returns a usable Temporal CLI, building it with Go when none is found. */
export function ensureTemporalCli(log: (line: string) => void = console.error): string {
  const found = findTemporalCli();
  if (found) return found;
  const go = onPath('go');
  if (!go) {
    throw new Error(
      'The Temporal CLI was not found and Go is not installed to build it. Either install Go (https://go.dev/dl) ' +
        'and run `npm run temporal:cli`, or install the Temporal CLI yourself and set TEMPORAL_CLI to its path.',
    );
  }
  mkdirSync(TOOLS_BIN, { recursive: true });
  log(`Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into ${TOOLS_BIN}; this takes a few minutes once.`);
  execFileSync(go, ['install', TEMPORAL_CLI_MODULE], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOBIN: TOOLS_BIN } });
  const built = path.join(TOOLS_BIN, 'temporal');
  if (!existsSync(built)) throw new Error(`go install finished but ${built} is missing`);
  return built;
}
