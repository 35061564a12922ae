/**
 * Replay safety (DESIGN rule 7): recorded histories of real runs must replay against the
 * current workflow code. A change that would break running cycles fails here; it needs
 * `patched()` or a new workflow type. A new code path gets its histories recorded beside the
 * old ones with RECORD_HISTORIES=<label> (test/support/recorded-histories.ts); overwrite them
 * with RECORD_HISTORIES=1 only for a change that is deliberately incompatible and has no
 * running cycles to protect.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';

const HISTORY_DIR = path.resolve(import.meta.dirname, '../histories');
const histories = readdirSync(HISTORY_DIR).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(2);
  });

  it.each(histories)('%s replays against the current workflow code', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(HISTORY_DIR, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, `replay-${file}`)).resolves.toBeUndefined();
  });
});
