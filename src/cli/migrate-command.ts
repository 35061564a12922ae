import { createDb, ensureDatabaseExists, redactUrl } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { TandemConfig } from '../config/env.ts';

export async function migrateCommand(config: TandemConfig): Promise<number> {
  await ensureDatabaseExists(config.databaseUrl);
  const db = createDb(config.databaseUrl, 1);
  try {
    const results = await migrateToLatest(db);
    for (const r of results) console.log(`${r.status === 'Success' ? 'applied' : r.status}: ${r.migrationName}`);
    console.log(`${redactUrl(config.databaseUrl)} is at the latest schema${results.length === 0 ? ' (nothing to do)' : ''}.`);
    return 0;
  } finally {
    await db.destroy();
  }
}
