/**
 * Where recorded histories live (test/cycle/replay.test.ts replays every one). A history is
 * kept only when RECORD_HISTORIES is set: `1` overwrites the file of that path, any other
 * value records beside it (`happy-year-<value>.json`), so the runs of older workflow code stay
 * recorded too and keep their replay guard.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

export const HISTORY_DIR = path.resolve(import.meta.dirname, '../histories');

/** Writes the history as `file` (see above); returns its JSON either way, for checks on it. */
export function keepHistory(history: History, file: string): string {
  const json = historyToJSON(history);
  const label = process.env.RECORD_HISTORIES;
  if (label) writeFileSync(path.join(HISTORY_DIR, label === '1' ? file : file.replace(/\.json$/, `-${label}.json`)), json);
  return json;
}
