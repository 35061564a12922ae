/**
 * Where a process spent its CPU, from the .cpuprofile files `node --cpu-prof` writes (one per
 * thread: the worker's main thread and the SDK's workflow thread): self time grouped by
 * package or project file, and the hottest functions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSummary {
  thread: string;
  /** Wall time the profile covers, and the part of it spent running (not idle). */
  profiledSeconds: number;
  busySeconds: number;
  byGroup: { group: string; seconds: number; share: number }[];
  topFunctions: { fn: string; seconds: number }[];
}

function groupOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node core';
  const src = url.search(/\/(src|db|bench)\//);
  return src === -1 ? url.split('/').slice(-2).join('/') : url.slice(src + 1);
}

export function summarizeCpuProfile(file: string, thread: string): CpuSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const fns = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    total += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const group = groupOf(frame.url, frame.functionName);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : ''}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const busy = total - idle;
  const s = (us: number) => Math.round(us / 10_000) / 100;
  return {
    thread,
    profiledSeconds: s(profile.endTime - profile.startTime),
    busySeconds: s(busy),
    byGroup: [...groups]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([group, us]) => ({ group, seconds: s(us), share: Math.round((us / Math.max(1, busy)) * 1000) / 1000 })),
    topFunctions: [...fns]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([fn, us]) => ({ fn, seconds: s(us) })),
  };
}

/** Every profile a process `pid` wrote into `dir` (file names carry pid and thread id). */
export function summarizeProcessProfiles(dir: string, pid: number): CpuSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile') && f.split('.')[3] === String(pid))
    .map((f) => summarizeCpuProfile(path.join(dir, f), f.split('.')[4] === '0' ? 'main thread' : `thread ${f.split('.')[4]}`));
}
