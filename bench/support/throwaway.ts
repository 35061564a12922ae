/**
 * Throwaway parts for one benchmark scenario: a Temporal dev server on free ports with its
 * own SQLite file, and a fresh Postgres database. Each is removed by its `stop()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { createDb, dropDatabase, ensureDatabaseExists } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { Database } from '../../db/schema.ts';
import { freePort } from '../../src/dev/free-port.ts';
import { startTemporalDevServer, type DevServer } from '../../src/dev/temporal-dev-server.ts';
import { ensureTemporalCli } from '../../src/temporal/cli-binary.ts';

export interface ThrowawayTemporal {
  address: string;
  dataDir: string;
  server: DevServer;
  stop(): Promise<void>;
}

export async function throwawayTemporal(): Promise<ThrowawayTemporal> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-'));
  const address = `127.0.0.1:${await freePort()}`;
  const server = await startTemporalDevServer({ cli: ensureTemporalCli(), dataDir, address, uiPort: await freePort(), namespace: 'default' });
  return {
    address,
    dataDir,
    server,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ThrowawayDatabase {
  url: string;
  db: Kysely<Database>;
  stop(): Promise<void>;
}

let serial = 0;

/** A migrated database named after the scenario, on TEST_DATABASE_URL's server (or `server`). */
export async function throwawayDatabase(
  label: string,
  server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  poolSize = 10,
): Promise<ThrowawayDatabase> {
  const url = new URL(server);
  url.pathname = `/tandem_bench_${label}_${process.pid}_${Date.now().toString(36)}_${serial++}`;
  await ensureDatabaseExists(url.toString());
  const db = createDb(url.toString(), poolSize);
  await migrateToLatest(db);
  return {
    url: url.toString(),
    db,
    async stop() {
      await db.destroy();
      await dropDatabase(url.toString());
    },
  };
}
