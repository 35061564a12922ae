/** Single use of state-changing links, by token id (`jti`): looked up before acting, recorded after success. */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { ActionClaims } from '../../security/action-tokens.ts';
import type { UsedLink } from './action-module.ts';

export async function findUsedLink(db: Kysely<Database>, jti: string): Promise<UsedLink | null> {
  const row = await db.selectFrom('used_action_links').select(['outcome', 'used_at']).where('jti', '=', jti).executeTakeFirst();
  return row ? { outcome: row.outcome, usedAt: row.used_at } : null;
}

/** Records the link as used; a concurrent second success (same Update id, same result) keeps the first record. */
export async function recordUsedLink(db: Kysely<Database>, claims: ActionClaims, outcome: string): Promise<void> {
  await db
    .insertInto('used_action_links')
    .values({ jti: claims.jti, person_id: claims.sub, cycle_id: claims.cyc, action: claims.act, step: claims.stp ?? null, outcome })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
}
