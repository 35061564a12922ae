/**
 * /readyz: are this process's real dependencies answering? Each check runs with a deadline;
 * the answer names the one that is down. (/healthz stays a liveness check: a process whose
 * database is away is alive and should not be restarted for it.)
 */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

const CHECK_DEADLINE_MS = 3_000;

async function withDeadline(check: () => Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(checks: ReadinessChecks, deadlineMs = CHECK_DEADLINE_MS): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withDeadline(check, deadlineMs);
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, `down: ${(error as Error).message.split('\n')[0]}`] as const;
      }
    }),
  );
  const result = Object.fromEntries(entries);
  return { ready: entries.every(([, v]) => v === 'ok'), checks: result };
}
