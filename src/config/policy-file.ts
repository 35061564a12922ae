/** Loading a policy file from disk: the only part of policy handling that does I/O. */
import { readFileSync } from 'node:fs';
import { parsePolicy, PolicyError, type Policy } from '../domain/policy.ts';

export function loadPolicyFile(file: string): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PolicyError([`${file}: ${(error as Error).message}`]);
  }
  try {
    return parsePolicy(raw);
  } catch (error) {
    if (error instanceof PolicyError) throw new PolicyError(error.problems.map((p) => `${file}: ${p}`));
    throw error;
  }
}
