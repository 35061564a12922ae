import { sql, type Kysely } from 'kysely';

/**
 * Department staff who sign in to Tandem (coordinators, the evaluation committee, mentoring
 * resources), their sessions, and the magic links already used. Plus the index the
 * coordinator dashboard's "stalled first" list walks.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email = lower(email)`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('roles', sql`text[]`, (c) => c.notNull().check(sql`cardinality(roles) > 0 and roles <@ array['coordinator', 'evaluation', 'resource']::text[]`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('staff_department_email_unique', ['department_id', 'email'])
    .execute();
  // Sign-in looks staff up by address alone: one deployment serves one department.
  await db.schema.createIndex('staff_email_idx').on('staff').column('email').execute();

  await db.schema
    .createTable('staff_sessions')
    // sha256 of the cookie's random id: a leaked table does not yield live sessions.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'uuid', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_sessions_staff_idx').on('staff_sessions').column('staff_id').execute();

  // Magic links are signed tokens; single use is this record of the ones already spent.
  await db.schema
    .createTable('staff_login_links_used')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'uuid', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // The dashboard lists stalled cycles first (oldest stall first), then the rest by due date;
  // this index is that order, so a page is an index walk rather than a sort of every cycle.
  await sql`create index cycles_dashboard_order_idx on cycles ((status <> 'stalled'), (coalesce(stalled_since, due_at)), id)`.execute(db);
  // Filters by mentor and program start from pairs.
  await db.schema.createIndex('pairs_mentor_idx').on('pairs').column('mentor_id').execute();
  await db.schema.createIndex('pairs_department_program_idx').on('pairs').columns(['department_id', 'program']).execute();
  // cycles by pair (the mentor/program filters join back to cycles).
  await db.schema.createIndex('cycles_pair_idx').on('cycles').column('pair_id').execute();
  // A pair's timeline, in order.
  await db.schema.createIndex('cycle_events_cycle_time_idx').on('cycle_events').columns(['cycle_id', 'occurred_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cycle_events_cycle_time_idx').execute();
  await db.schema.dropIndex('cycles_pair_idx').execute();
  await db.schema.dropIndex('pairs_department_program_idx').execute();
  await db.schema.dropIndex('pairs_mentor_idx').execute();
  await db.schema.dropIndex('cycles_dashboard_order_idx').execute();
  await db.schema.dropTable('staff_login_links_used').execute();
  await db.schema.dropTable('staff_sessions').execute();
  await db.schema.dropTable('staff').execute();
}
