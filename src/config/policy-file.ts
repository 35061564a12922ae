/** Loading a policy file from disk: the only part of policy handling that does I/O. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePolicy, PolicyError, type Policy } from '../domain/policy.ts';

export function loadPolicyFile(file: string): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PolicyError([`${file}: ${(error as Error).message}`]);
  }
  try {
    return parsePolicy(inlineFramework(file, raw));
  } catch (error) {
    if (error instanceof PolicyError) throw new PolicyError(error.problems.map((p) => `${file}: ${p}`));
    throw error;
  }
}

/** `competencyFramework` may name a JSON file (relative to the policy file) instead of holding the framework. */
function inlineFramework(policyFile: string, raw: unknown): unknown {
  const ref = (raw as { competencyFramework?: unknown } | null)?.competencyFramework;
  if (typeof ref !== 'string') return raw;
  const frameworkFile = path.resolve(path.dirname(policyFile), ref);
  try {
    return { ...(raw as object), competencyFramework: JSON.parse(readFileSync(frameworkFile, 'utf8')) };
  } catch (error) {
    throw new PolicyError([`competencyFramework: cannot read ${frameworkFile}: ${(error as Error).message}`]);
  }
}
