/**
 * Once per test run: one real Temporal dev server (the CLI built from Go), one workflow
 * bundle, one throwaway Postgres database. Test files get their addresses through inject().
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { createDb, dropDatabase, ensureDatabaseExists } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ensureTemporalCli } from '../src/temporal/cli-binary.ts';
import { TANDEM_SEARCH_ATTRIBUTES } from '../src/temporal/search-attributes.ts';
import { WORKFLOW_BUNDLE_OPTIONS } from '../src/worker/create-worker.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = new URL(baseUrl);
  databaseUrl.pathname = `/tandem_test_${process.pid}_${Date.now().toString(36)}`;
  await ensureDatabaseExists(databaseUrl.toString());
  const db = createDb(databaseUrl.toString(), 1);
  await migrateToLatest(db);
  await db.destroy();

  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ensureTemporalCli() },
      searchAttributes: TANDEM_SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  });

  const bundleDir = mkdtempSync(path.join(tmpdir(), 'tandem-bundle-'));
  const { code } = await bundleWorkflowCode({
    ...WORKFLOW_BUNDLE_OPTIONS,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
  const workflowBundlePath = path.join(bundleDir, 'workflows.js');
  writeFileSync(workflowBundlePath, code);

  project.provide('temporalAddress', env.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('databaseUrl', databaseUrl.toString());

  return async () => {
    await env.teardown();
    await dropDatabase(databaseUrl.toString());
    rmSync(bundleDir, { recursive: true, force: true });
  };
}
