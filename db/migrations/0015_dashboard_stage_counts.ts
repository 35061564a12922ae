import { sql, type Kysely } from 'kysely';

/**
 * The dashboard's chart and totals, kept as they change instead of counted on every page load
 * (a scan of every cycle, joined to pairs for a program: 0.4–1.8 s at 1,000,000 cycles).
 *
 * cycle_stage_counts holds how many cycles each (department, program, status, step) has.
 * Triggers keep it in the same transaction as the write that changes a count, whichever
 * process makes it: a cycle inserted, deleted or moved to another status or step (the
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

  await sql`
    create function cycles_keep_stage_counts() returns trigger language plpgsql as $$
    declare
      o record;
      n record;
    begin
      if tg_op = 'INSERT' then
        select department_id, program into n from pairs where id = new.pair_id;
        perform cycle_stage_counts_add(n.department_id, n.program, new.status, new.current_step, 1);
      elsif tg_op = 'DELETE' then
        -- A pair deleted with its cycles has already taken them off (pairs_keep_stage_counts).
        select department_id, program into o from pairs where id = old.pair_id;
        if found then perform cycle_stage_counts_add(o.department_id, o.program, old.status, old.current_step, -1); end if;
      elsif old.status is distinct from new.status or old.current_step is distinct from new.current_step or old.pair_id <> new.pair_id then
        select department_id, program into o from pairs where id = old.pair_id;
        select department_id, program into n from pairs where id = new.pair_id;
        perform cycle_stage_counts_move(o.department_id, o.program, old.status, old.current_step, n.department_id, n.program, new.status, new.current_step, 1);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger cycles_keep_stage_counts after insert or delete or update of status, current_step, pair_id on cycles
    for each row execute function cycles_keep_stage_counts()`.execute(db);

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
  await sql`drop trigger if exists cycles_keep_stage_counts on cycles`.execute(db);
  await sql`drop function if exists pairs_keep_stage_counts()`.execute(db);
  await sql`drop function if exists cycles_keep_stage_counts()`.execute(db);
  await sql`drop function if exists cycle_stage_counts_move(text, text, text, text, text, text, text, text, bigint)`.execute(db);
  await sql`drop function if exists cycle_stage_counts_add(text, text, text, text, bigint)`.execute(db);
  await sql`drop table if exists cycle_stage_counts`.execute(db);
}
