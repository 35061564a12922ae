import { sql, type Kysely } from 'kysely';

/**
 * The dashboard's chart and totals, kept as they change instead of counted on every page load
 * (a scan of every cycle, joined to pairs for a program: 0.4–1.8 s at 1,000,000 cycles).
 *
 * cycle_stage_counts holds how many cycles each (department, program, status, step) has.
 * Triggers keep it in the same transaction as the write that changes a count, whichever
 * process makes it (per statement for cycles, per row for the rarer pair changes): a cycle inserted, deleted or moved to another status or step (the
 * projection), and a pair moved to another program or department (re-enrollment). A cycle
 * update that changes neither (most projection writes: due dates, ladder rungs) touches no
 * count row. The two rows one update moves a count between are updated in key order, so two
 * transactions moving counts between the same rows wait for each other rather than deadlock.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table cycle_stage_counts (
      department_id text not null,
      program text,
      status text not null,
      current_step text,
      cycles bigint not null,
      constraint cycle_stage_counts_key unique nulls not distinct (department_id, program, status, current_step)
    )`.execute(db);

  await sql`
    create function cycle_stage_counts_add(dept text, prog text, st text, step text, delta bigint) returns void language sql as $$
      insert into cycle_stage_counts as s (department_id, program, status, current_step, cycles) values (dept, prog, st, step, delta)
      on conflict (department_id, program, status, current_step) do update set cycles = s.cycles + excluded.cycles
    $$`.execute(db);

  // Moves n cycles from one key to another, the lower key first (see the deadlock note above).
  await sql`
    create function cycle_stage_counts_move(o_dept text, o_prog text, o_st text, o_step text, n_dept text, n_prog text, n_st text, n_step text, n bigint) returns void language plpgsql as $$
    begin
      if row(o_dept, coalesce(o_prog, ''), o_st, coalesce(o_step, '')) <= row(n_dept, coalesce(n_prog, ''), n_st, coalesce(n_step, '')) then
        perform cycle_stage_counts_add(o_dept, o_prog, o_st, o_step, -n);
        perform cycle_stage_counts_add(n_dept, n_prog, n_st, n_step, n);
      else
        perform cycle_stage_counts_add(n_dept, n_prog, n_st, n_step, n);
        perform cycle_stage_counts_add(o_dept, o_prog, o_st, o_step, -n);
      end if;
    end $$`.execute(db);

  // Cycles are counted per statement, from its transition tables: a roster's 5,000 new cycles
  // are one grouped upsert, not 5,000 trigger calls. Count rows are upserted in one key order
  // (the move function's), so concurrent statements wait for each other rather than deadlock.
  const upsertDeltas = (deltas: string, withClause = '') => `
      ${withClause}
      insert into cycle_stage_counts as s (department_id, program, status, current_step, cycles)
      select department_id, program, status, current_step, sum(delta) from (${deltas}) d
      group by department_id, program, status, current_step
      having sum(delta) <> 0
      order by department_id, coalesce(program, ''), status, coalesce(current_step, '')
      on conflict (department_id, program, status, current_step) do update set cycles = s.cycles + excluded.cycles`;
  const countingTrigger = (name: string, body: string) =>
    sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${body}; return null; end $$`).execute(db);
  await countingTrigger(
    'cycles_count_inserted',
    upsertDeltas('select p.department_id, p.program, n.status, n.current_step, 1 as delta from new_rows n join pairs p on p.id = n.pair_id'),
  );
  // A pair deleted with its cycles has already taken them off (pairs_drop_stage_counts): the
  // join finds no pair for them.
  await countingTrigger(
    'cycles_count_deleted',
    upsertDeltas('select p.department_id, p.program, o.status, o.current_step, -1 as delta from old_rows o join pairs p on p.id = o.pair_id'),
  );
  // Most projection writes change neither status nor step (due dates, ladder rungs): nothing moves.
  await countingTrigger(
    'cycles_count_updated',
    upsertDeltas(
      `select p.department_id, p.program, m.o_status as status, m.o_step as current_step, -1 as delta from moved m join pairs p on p.id = m.o_pair
       union all
       select p.department_id, p.program, m.n_status, m.n_step, 1 from moved m join pairs p on p.id = m.n_pair`,
      `with moved as (
         select o.pair_id as o_pair, o.status as o_status, o.current_step as o_step, n.pair_id as n_pair, n.status as n_status, n.current_step as n_step
         from old_rows o join new_rows n on n.id = o.id
         where o.status is distinct from n.status or o.current_step is distinct from n.current_step or o.pair_id <> n.pair_id)`,
    ),
  );
  await sql`create trigger cycles_count_inserted after insert on cycles referencing new table as new_rows for each statement execute function cycles_count_inserted()`.execute(
    db,
  );
  await sql`create trigger cycles_count_deleted after delete on cycles referencing old table as old_rows for each statement execute function cycles_count_deleted()`.execute(
    db,
  );
  await sql`create trigger cycles_count_updated after update on cycles referencing old table as old_rows new table as new_rows for each statement execute function cycles_count_updated()`.execute(
    db,
  );

  await sql`
    create function pairs_keep_stage_counts() returns trigger language plpgsql as $$
    declare
      g record;
    begin
      if tg_op = 'DELETE' then
        for g in select status, current_step, count(*) as n from cycles where pair_id = old.id group by status, current_step loop
          perform cycle_stage_counts_add(old.department_id, old.program, g.status, g.current_step, -g.n);
        end loop;
        return old;
      end if;
      if old.department_id is distinct from new.department_id or old.program is distinct from new.program then
        for g in select status, current_step, count(*) as n from cycles where pair_id = new.id group by status, current_step loop
          perform cycle_stage_counts_move(old.department_id, old.program, g.status, g.current_step, new.department_id, new.program, g.status, g.current_step, g.n);
        end loop;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger pairs_keep_stage_counts after update of department_id, program on pairs for each row execute function pairs_keep_stage_counts()`.execute(
    db,
  );
  await sql`create trigger pairs_drop_stage_counts before delete on pairs for each row execute function pairs_keep_stage_counts()`.execute(db);

  // The counts as they stand (in the migration's transaction, so no write falls between).
  await sql`lock table cycles in share mode`.execute(db);
  await sql`
    insert into cycle_stage_counts (department_id, program, status, current_step, cycles)
    select p.department_id, p.program, c.status, c.current_step, count(*) from cycles c join pairs p on p.id = c.pair_id
    group by p.department_id, p.program, c.status, c.current_step`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists pairs_drop_stage_counts on pairs`.execute(db);
  await sql`drop trigger if exists pairs_keep_stage_counts on pairs`.execute(db);
  for (const t of ['cycles_count_inserted', 'cycles_count_deleted', 'cycles_count_updated']) {
    await sql.raw(`drop trigger if exists ${t} on cycles`).execute(db);
    await sql.raw(`drop function if exists ${t}()`).execute(db);
  }
  await sql`drop function if exists pairs_keep_stage_counts()`.execute(db);
  await sql`drop function if exists cycle_stage_counts_move(text, text, text, text, text, text, text, text, bigint)`.execute(db);
  await sql`drop function if exists cycle_stage_counts_add(text, text, text, text, bigint)`.execute(db);
  await sql`drop table if exists cycle_stage_counts`.execute(db);
}
