/**
 * Participants' used action links: single use of state-changing links, by token id (`jti`),
 * looked up before acting and recorded after success.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** When a single-use link was used, and what it did. */
export interface UsedLink {
  outcome: string;
  usedAt: Date;
}

/** The link's claims that are recorded with its use (the names of src/security/action-tokens.ts). */
export interface UsedLinkClaims {
  jti: string;
  sub: string;
  cyc: string;
  act: string;
  stp?: string;
}

export async function findUsedLink(db: Kysely<Database>, jti: string): Promise<UsedLink | null> {
  const row = await db.selectFrom('used_action_links').select(['outcome', 'used_at']).where('jti', '=', jti).executeTakeFirst();
  return row ? { outcome: row.outcome, usedAt: row.used_at } : null;
}

/** Records the link as used; a concurrent second success (same Update id, same result) keeps the first record. */
export async function recordUsedLink(db: Kysely<Database>, claims: UsedLinkClaims, outcome: string): Promise<void> {
  await db
    .insertInto('used_action_links')
    .values({ jti: claims.jti, person_id: claims.sub, cycle_id: claims.cyc, action: claims.act, step: claims.stp ?? null, outcome })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
}
