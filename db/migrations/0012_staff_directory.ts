import { sql, type Kysely } from 'kysely';

/**
 * The staff page and university sign-in: when each staff member last signed in, how a
 * coordinator wants the department's notices (one message each, or a daily digest), and the
 * OpenID Connect sign-ins under way (state, nonce and PKCE verifier kept in Postgres, so any
 * web process can finish a sign-in another one started, and each state works once).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff').addColumn('last_signed_in_at', 'timestamptz').execute();
  await db.schema
    .alterTable('staff')
    .addColumn('notice_delivery', 'text', (c) =>
      c
        .notNull()
        .defaultTo('immediate')
        .check(sql`notice_delivery in ('immediate', 'digest')`),
    )
    .execute();

  await db.schema
    .createTable('staff_oidc_logins')
    // sha256 of the state sent to the identity provider; the state itself is only in the browser's round trip.
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('next', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('staff_oidc_logins').execute();
  await db.schema.alterTable('staff').dropColumn('notice_delivery').execute();
  await db.schema.alterTable('staff').dropColumn('last_signed_in_at').execute();
}
