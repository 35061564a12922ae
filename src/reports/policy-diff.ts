/**
 * What a policy file would change against the policy in effect: every setting that differs,
 * named by its path in the file ("stages.checkIns[1].dueAtDay: 182 → 175"). Pure.
 */
import type { Policy } from '../domain/policy.ts';

export interface PolicyChange {
  path: string;
  /** JSON of the value in effect; undefined when the setting is new. */
  from: string | undefined;
  /** JSON of the proposed value; undefined when the setting goes away. */
  to: string | undefined;
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, '[]');
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0 && path) out.set(path, '{}');
    for (const [k, v] of entries) flatten(v, path ? `${path}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(path, JSON.stringify(value));
  }
}

export function diffPolicies(inEffect: Policy, proposed: Policy): PolicyChange[] {
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  flatten(inEffect, '', before);
  flatten(proposed, '', after);
  const paths = [...new Set([...before.keys(), ...after.keys()])];
  return paths.filter((p) => before.get(p) !== after.get(p)).map((path) => ({ path, from: before.get(path), to: after.get(path) }));
}

export function changeLine(change: PolicyChange): string {
  if (change.from === undefined) return `+ ${change.path}: ${change.to}`;
  if (change.to === undefined) return `- ${change.path}: ${change.from} (removed)`;
  return `~ ${change.path}: ${change.from} → ${change.to}`;
}

export const WHO_TAKES_IT =
  'Cycles already running keep the policy they started with until their year ends; each new academic year, and every pair enrolled after the new file is deployed (web and worker restarted), takes the new policy.';
