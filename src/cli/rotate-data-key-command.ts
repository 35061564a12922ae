/** `tandem rotate-data-key`: re-seal every sealed row under TANDEM_DATA_KEY's first key (src/security/rotate-data-key.ts). */
import { createDb } from '../../db/connection.ts';
import type { TandemConfig } from '../config/env.ts';
import { dataKeyFrom } from '../security/data-encryption.ts';
import { rotateDataKey } from '../security/rotate-data-key.ts';

export async function rotateDataKeyCommand(config: TandemConfig): Promise<number> {
  const key = dataKeyFrom(config);
  const db = createDb(config.databaseUrl, 2);
  try {
    console.log(`Re-sealing every sealed row under data key ${key.currentId} (stop at any time; running again resumes).`);
    const report = await rotateDataKey(db, key, (c) => console.log(`${c.table}: ${c.resealed} re-sealed, ${c.alreadyCurrent} already under ${key.currentId}`));
    for (const c of report) console.log(`done ${c.table}: ${c.resealed} re-sealed, ${c.alreadyCurrent} already current`);
    console.log('Every sealed row is under the newest key; the older keys can be removed from TANDEM_DATA_KEY.');
    return 0;
  } finally {
    await db.destroy();
  }
}
