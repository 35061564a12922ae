/**
 * Opening the database: a kysely instance over a pg pool, and creating the database
 * itself when it is missing (a fresh machine has only the server).
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export class DatabaseUnreachableError extends Error {
  constructor(databaseUrl: string, cause: unknown) {
    const where = redactUrl(databaseUrl);
    super(
      `Postgres is unreachable at ${where} (${describe(cause)}). ` +
        'Start it (for example: pg_ctlcluster <version> main start, or docker compose up postgres) ' +
        'or point DATABASE_URL at a running server.',
    );
    this.name = 'DatabaseUnreachableError';
  }
}

function describe(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) return describe(cause.errors[0]);
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return String(cause);
}

export function redactUrl(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  if (u.password) u.password = '***';
  return u.toString();
}

export function createDb(databaseUrl: string, maxConnections = 10): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections, connectionTimeoutMillis: 5_000 });
  // An idle connection the server drops (a restart, a failover) is emitted as an 'error' on the
  // pool; with no listener Node kills the whole process. pg has already discarded that client,
  // and the next query opens a fresh one, so there is nothing to do but not crash.
  pool.on('error', () => {});
  // The same for a connection dropped while checked out but between queries (inside a
  // transaction): the client emits 'error' on itself. It is then unqueryable, so the pool
  // discards it on release and the activity's retry gets a fresh one.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Creates the database named in the URL when the server has none of that name. */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnreachableError(databaseUrl, error);
  }
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`create database ${pg.escapeIdentifier(name)}`);
    }
  } catch (error) {
    // Two processes starting at once may both try to create it; the loser is fine.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}

/** Whether Postgres answers a query (readiness checks); rejects when it does not. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
