/**
 * DESIGN rule 2 over every recorded history: no email address anywhere in a history, payloads
 * decoded. The two histories recorded before the workflow input was slimmed (policy timing
 * only, src/domain/cycle-timing.ts) still carry the whole policy where a policy travels — the
 * start input, the next year's from prepareNextYear, the continue-as-new input — and nowhere
 * else; they stay, because running cycles started that way must keep replaying.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emailAddressesIn } from './history-privacy.ts';

const HISTORY_DIR = path.resolve(import.meta.dirname, '../histories');
const histories = readdirSync(HISTORY_DIR).filter((f) => f.endsWith('.json'));
const RECORDED_WITH_WHOLE_POLICY = new Set(['happy-year.json', 'stalled-year.json']);

describe('recorded histories hold no email address', () => {
  it('has histories recorded since the input was slimmed', () => {
    expect(histories.filter((f) => !RECORDED_WITH_WHOLE_POLICY.has(f)).length).toBeGreaterThanOrEqual(4);
  });

  it.each(histories)('%s', (file) => {
    const found = emailAddressesIn(readFileSync(path.join(HISTORY_DIR, file), 'utf8'));
    if (RECORDED_WITH_WHOLE_POLICY.has(file)) {
      // The department directory of the old whole-policy input, only where the policy travels.
      expect(found.length).toBeGreaterThan(0);
      expect(new Set(found.map((f) => f.event.split(' ')[1]))).toEqual(
        new Set(['EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED', 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW']),
      );
    } else {
      expect(found).toEqual([]);
    }
  });
});
