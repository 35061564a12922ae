/** Policies for tests: the department default with overrides, validated like a real file. */
import { randomUUID } from 'node:crypto';
import { parsePolicy, type Policy } from '../../src/domain/policy.ts';
import defaultPolicy from '../../policy/default.json' with { type: 'json' };

export function testPolicy(overrides: Partial<Policy> = {}): Policy {
  return parsePolicy({ ...structuredClone(defaultPolicy), department: { ...defaultPolicy.department, id: `dept-${randomUUID().slice(0, 8)}` }, ...overrides });
}
