import { createDb, ensureDatabaseExists, redactUrl } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { TandemConfig } from '../config/env.ts';
import { sealPlaintextHelpRequests } from '../stores/participant-content-store.ts';
import { dataKeyFrom } from '../security/data-encryption.ts';

export async function migrateCommand(config: TandemConfig): Promise<number> {
  await ensureDatabaseExists(config.databaseUrl);
  const db = createDb(config.databaseUrl, 1);
  try {
    const results = await migrateToLatest(db);
    for (const r of results) console.log(`${r.status === 'Success' ? 'applied' : r.status}: ${r.migrationName}`);
    // A migration has no data key; help requests stored in plaintext before 0008 are sealed here.
    const sealed = await sealPlaintextHelpRequests(db, dataKeyFrom(config));
    if (sealed > 0) console.log(`sealed ${sealed} help request message${sealed === 1 ? '' : 's'} stored before encryption.`);
    console.log(`${redactUrl(config.databaseUrl)} is at the latest schema${results.length === 0 ? ' (nothing to do)' : ''}.`);
    return 0;
  } finally {
    await db.destroy();
  }
}
