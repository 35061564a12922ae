/**
 * Bundling the workflow code in a short-lived child process. Bundling in the worker itself
 * leaves webpack's and swc's memory in a process that runs for months (about 135 MB of RSS
 * measured); in a child it is all returned when the child exits.
 *
 * Run as a script it writes the bundle to the file named by its argument.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from './create-worker.ts';

export function bundleWorkflowsInChild(): { code: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-bundle-'));
  const file = path.join(dir, 'workflows.js');
  try {
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), file], { stdio: ['ignore', 'ignore', 'inherit'] });
    return { code: readFileSync(file, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: bundle-workflows.ts OUTPUT.js');
  const { code } = await bundleWorkflowCode(WORKFLOW_BUNDLE_OPTIONS);
  writeFileSync(out, code);
}
