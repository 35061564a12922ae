/**
 * A store for @fastify/rate-limit in Postgres, so the sign-in limits hold in total across every
 * web process rather than per process. Fixed windows, as the plugin's own in-memory store: the
 * first hit opens a window of `timeWindow`; hits in it count; the next hit after it opens a new one.
 * Keys are stored as sha256 hashes: the table holds no address or IP. They are scoped to the
 * department (one deployment serves one; several test departments share a test database).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

function hashOf(scope: string, key: string): string {
  return createHash('sha256').update(scope).update('\0').update(key).digest('base64url');
}

/** Expired windows are deleted now and then, by whichever process happens to count. */
const SWEEP_EVERY = 200;

export function postgresRateLimitStore(db: Kysely<Database>, scope: string) {
  let counted = 0;
  async function incr(key: string, timeWindowMs: number): Promise<{ current: number; ttl: number }> {
    const { rows } = await sql<{ hits: number; ttl_ms: number }>`
      insert into rate_limit_windows as w (key_hash, hits, window_ends_at)
      values (${hashOf(scope, key)}, 1, now() + make_interval(secs => ${timeWindowMs / 1000}))
      on conflict (key_hash) do update set
        hits = case when w.window_ends_at <= now() then 1 else w.hits + 1 end,
        window_ends_at = case when w.window_ends_at <= now() then excluded.window_ends_at else w.window_ends_at end
      returning hits, greatest(0, extract(epoch from (window_ends_at - now())) * 1000) as ttl_ms`.execute(db);
    if (++counted % SWEEP_EVERY === 0)
      await db
        .deleteFrom('rate_limit_windows')
        .where('window_ends_at', '<', sql<Date>`now() - interval '1 hour'`)
        .execute();
    return { current: Number(rows[0]!.hits), ttl: Math.ceil(Number(rows[0]!.ttl_ms)) };
  }
  async function read(key: string): Promise<{ current: number; ttl: number }> {
    const row = await db
      .selectFrom('rate_limit_windows')
      .select(['hits', sql<number>`greatest(0, extract(epoch from (window_ends_at - now())) * 1000)`.as('ttl_ms')])
      .where('key_hash', '=', hashOf(scope, key))
      .where('window_ends_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    return row ? { current: row.hits, ttl: Math.ceil(Number(row.ttl_ms)) } : { current: 0, ttl: 0 };
  }
  // The plugin constructs the store itself (`new Store(options)`) and asks each route for a child.
  return class PostgresRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      incr(key, timeWindow).then(
        (r) => callback(null, r),
        (error: Error) => callback(error),
      );
    }
    read(key: string, callback: Callback): void {
      read(key).then(
        (r) => callback(null, r),
        (error: Error) => callback(error),
      );
    }
    child(): PostgresRateLimitStore {
      return new PostgresRateLimitStore();
    }
  };
}
