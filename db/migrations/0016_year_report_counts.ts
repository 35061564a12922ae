import { sql, type Kysely } from 'kysely';

/**
 * The year report, kept as the timeline grows instead of aggregated from every event of the
 * year on each read (11–17 s p95 at 100,000 cycles and 1.2 million events).
 *
 * cycle_report_facts: one row per cycle, what its timeline says (expectations set, check-ins
 * planned and held, the distinct steps reported missed, feedback, pauses, stalls and how each
 * stalled step ended) and where the cycle is counted (department, program, year, whether it is
 * the pair's first year and the day it was enrolled, whether it has finished). Kept per
 * statement by triggers on cycle_events (an insert adds to the row; an update or delete, which
 * nothing in src/ does, recounts the cycles it touched), on cycles (insert, update, delete) and
 * on pairs (a change of program or department).
 *
 * cycle_report_counts: per department, program and academic year, each measure the report
 * shows, with a label for the measures kept per step or reason (and per enrollment day for
 * joined-late: it depends on the policy's academicYearStart, which Postgres does not know, so
 * the store compares the days). Kept by statement triggers on cycle_report_facts: each statement's
 * old rows count −1 and new rows +1, in one grouped upsert in key order, and a measure whose
 * total did not move is not touched.
 *
 * Lock order, and why the projection does not deadlock. projectCycle (src/stores/cycle-store.ts)
 * inserts the cycle's events first, then updates the cycle. So each projection transaction
 * locks its cycle's facts row, then report count rows (one statement, key order), and only then,
 * in the cycle update, the stage count rows of 0015. Every statement keeps that order: facts
 * rows, then count rows, then stage count rows (the triggers below on cycles and pairs are named
 * to fire before 0015's: Postgres fires one event's triggers in name order). Two projections
 * therefore wait for each other rather than deadlock, with one exception: a cycle that ends or
 * completes with a stalled step neither completed, resolved, referred nor closed moves count rows
 * again in its cycle update (lapsed instead of still open). Transactions of several statements
 * can also take count rows after stage count rows of an earlier statement: enrollment updates
 * pairs' programs one by one and inserts cycles in batches. When such a transaction and a
 * projection each hold a row of the same program and year the other wants, Postgres aborts one
 * with a deadlock error after deadlock_timeout and it rolls back whole: a projection's activity
 * retries (projectCycle is idempotent); an enrollment (a roster confirm) writes nothing and can
 * be confirmed again.
 */

/** The timeline kinds the facts read; the rest (reminders, invites, nudges) are most of a timeline and touch nothing. */
const COUNTED_KINDS = [
  'step-opened',
  'step-completed',
  'step-closed',
  'step-resolved',
  'ladder-rung',
  'check-in-missed',
  'training-goals-updated',
  'feedback-submitted',
  'cycle-paused',
  'pair-ended',
];
const counted = (e: string) => `${e}.kind in (${COUNTED_KINDS.map((k) => `'${k}'`).join(', ')})`;

/** The distinct steps of the events matching `where`, sorted (a set, merged by cycle_report_union). */
const steps = (where: string) => `coalesce(array_agg(distinct e.step order by e.step) filter (where (${where}) and e.step is not null), '{}')`;
const NOTIFY = `e.kind = 'ladder-rung' and e.detail->>'rung' = 'notify-coordinator'`;

/**
 * What a cycle's events say, as aggregates over events `e` (a null row counts nothing), and how
 * a row already kept merges with the aggregate of newer events.
 */
const TIMELINE_FACTS: { column: string; type: 'boolean' | 'integer' | 'text[]'; merge: 'or' | 'add' | 'union' | 'append'; of: string }[] = [
  { column: 'expectations_set', type: 'boolean', merge: 'or', of: `coalesce(bool_or(e.step = 'expectations' and e.kind = 'step-completed'), false)` },
  { column: 'expectations_laddered', type: 'boolean', merge: 'or', of: `coalesce(bool_or(e.step = 'expectations' and e.kind = 'ladder-rung'), false)` },
  // A window that closed before the pair was enrolled ("before-enrollment") is not planned for it.
  {
    column: 'check_ins_planned',
    type: 'integer',
    merge: 'add',
    of: `count(*) filter (where e.kind = 'step-opened' and e.step like 'check-in-%')
       - count(*) filter (where e.kind = 'step-closed' and e.step like 'check-in-%' and e.detail->>'phase' = 'before-enrollment')`,
  },
  {
    column: 'check_ins_held',
    type: 'integer',
    merge: 'add',
    of: `count(*) filter (where e.kind = 'step-completed' and e.step like 'check-in-%' and e.detail->>'phase' = 'held')`,
  },
  {
    column: 'check_ins_rescheduled',
    type: 'integer',
    merge: 'add',
    of: `count(*) filter (where e.kind = 'step-completed' and e.step like 'check-in-%' and e.detail->>'phase' = 'missed-and-rescheduled')`,
  },
  // "We didn't meet" may come several times per check-in: the set of steps, so each counts once.
  { column: 'missed_steps', type: 'text[]', merge: 'union', of: steps(`e.kind = 'check-in-missed'`) },
  { column: 'goals_updated', type: 'boolean', merge: 'or', of: `coalesce(bool_or(e.kind = 'training-goals-updated'), false)` },
  {
    column: 'goals_reviewed',
    type: 'boolean',
    merge: 'or',
    of: `coalesce(bool_or(e.step = 'training-goals' and e.kind = 'step-completed' and e.detail->>'phase' = 'reviewed'), false)`,
  },
  { column: 'feedback_from', type: 'integer', merge: 'add', of: `count(*) filter (where e.kind = 'feedback-submitted')` },
  // One reason per pause (its length is the number of pauses).
  {
    column: 'pause_reasons',
    type: 'text[]',
    merge: 'append',
    of: `coalesce(array_agg(coalesce(e.detail->>'reason', 'other')) filter (where e.kind = 'cycle-paused'), '{}')`,
  },
  {
    column: 'ended_reasons',
    type: 'text[]',
    merge: 'union',
    of: `coalesce(array_agg(distinct coalesce(e.detail->>'reason', 'other')) filter (where e.kind = 'pair-ended'), '{}')`,
  },
  { column: 'stalled', type: 'boolean', merge: 'or', of: `coalesce(bool_or(${NOTIFY}), false)` },
  // How each stalled step ended, whichever came first: the step's completion, resolution, referral, close.
  { column: 'stalled_steps', type: 'text[]', merge: 'union', of: steps(NOTIFY) },
  { column: 'completed_steps', type: 'text[]', merge: 'union', of: steps(`e.kind = 'step-completed'`) },
  { column: 'resolved_steps', type: 'text[]', merge: 'union', of: steps(`e.kind = 'step-resolved'`) },
  { column: 'referred_steps', type: 'text[]', merge: 'union', of: steps(`e.kind = 'ladder-rung' and e.detail->>'rung' = 'refer-resource'`) },
  { column: 'closed_steps', type: 'text[]', merge: 'union', of: steps(`e.kind = 'step-closed'`) },
];
const factColumns = TIMELINE_FACTS.map((f) => f.column).join(', ');
const zero = { boolean: 'false', integer: '0', 'text[]': `'{}'` };
const MERGE = {
  or: (c: string) => `f.${c} or excluded.${c}`,
  add: (c: string) => `f.${c} + excluded.${c}`,
  union: (c: string) => `cycle_report_union(f.${c}, excluded.${c})`,
  append: (c: string) => `f.${c} || excluded.${c}`,
};

/** Each cycle's facts from the events `e` of `from`, one row per `key` (as cycle_id). */
const timelineFacts = (key: string, from: string) =>
  `select ${key} as cycle_id, ${TIMELINE_FACTS.map((f) => `${f.of} as ${f.column}`).join(',\n')} from ${from} group by ${key}`;

const PLACEMENT = ['pair_id', 'department_id', 'program', 'academic_year', 'first_cycle', 'enrolled_on', 'finished'];

/**
 * Brings the facts rows of the cycles of the pairs matching `pairs` (a condition on pl.pair_id)
 * in line with where they are counted: rows for new cycles, and a changed program, department,
 * year, first year or finish for the rest (only rows that change are written, and locked).
 */
const placeCycles = (pairs: string) => `
  update cycle_report_facts f set (${PLACEMENT.join(', ')}) = (${PLACEMENT.map((c) => `pl.${c}`).join(', ')})
  from cycle_report_placement pl
  where pl.cycle_id = f.cycle_id and ${pairs}
    and (${PLACEMENT.map((c) => `f.${c}`).join(', ')}) is distinct from (${PLACEMENT.map((c) => `pl.${c}`).join(', ')});
  insert into cycle_report_facts (cycle_id, ${PLACEMENT.join(', ')})
  select pl.cycle_id, ${PLACEMENT.map((c) => `pl.${c}`).join(', ')} from cycle_report_placement pl
  where ${pairs} and not exists (select from cycle_report_facts f where f.cycle_id = pl.cycle_id)
  order by pl.cycle_id
  on conflict (cycle_id) do nothing`;

/** Sets the facts of the cycles `cycles` (a query of cycle_id) to a fresh count of their events. */
const recountCycles = (cycles: string) => `
  update cycle_report_facts f set (${factColumns}) = (${TIMELINE_FACTS.map((c) => `t.${c.column}`).join(', ')})
  from (${timelineFacts('c.cycle_id', `(${cycles}) c left join cycle_events e on e.cycle_id = c.cycle_id and ${counted('e')}`)}) t
  where f.cycle_id = t.cycle_id`;

/** The report's measures of one cycle: [measure, value] (0 is not kept). */
const CYCLE_MEASURES: [string, string][] = [
  ['pairs', '1'],
  ['expectations_on_time', '(f.expectations_set and not f.expectations_laddered)::int'],
  ['expectations_late', '(f.expectations_set and f.expectations_laddered)::int'],
  ['expectations_not_set', '(not f.expectations_set)::int'],
  ['check_ins_planned', 'f.check_ins_planned'],
  ['check_ins_planned_pairs', '(f.check_ins_planned > 0)::int'],
  ['check_ins_held', 'f.check_ins_held'],
  ['check_ins_held_pairs', '(f.check_ins_held > 0)::int'],
  ['check_ins_rescheduled', 'f.check_ins_rescheduled'],
  ['check_ins_rescheduled_pairs', '(f.check_ins_rescheduled > 0)::int'],
  ['check_ins_missed', 'cardinality(f.missed_steps)'],
  ['check_ins_missed_pairs', '(cardinality(f.missed_steps) > 0)::int'],
  ['check_ins_not_held', 'f.check_ins_planned - f.check_ins_held - f.check_ins_rescheduled'],
  ['check_ins_not_held_pairs', '(f.check_ins_planned - f.check_ins_held - f.check_ins_rescheduled > 0)::int'],
  ['goals_reviewed', 'f.goals_reviewed::int'],
  ['goals_updated_not_reviewed', '(f.goals_updated and not f.goals_reviewed)::int'],
  ['goals_not_updated', '(not f.goals_updated and not f.goals_reviewed)::int'],
  ['feedback_both', '(f.feedback_from = 2)::int'],
  ['feedback_one', '(f.feedback_from = 1)::int'],
  ['feedback_neither', '(f.feedback_from = 0)::int'],
  ['paused_pairs', '(cardinality(f.pause_reasons) > 0)::int'],
  ['pauses', 'cardinality(f.pause_reasons)'],
  ['stalled_pairs', 'f.stalled::int'],
];

/** The count rows a statement's facts rows move: `deltas` gives (sign, row f). */
const upsertCounts = (deltas: string) => `
  insert into cycle_report_counts as r (department_id, program, academic_year, measure, label, value)
  select (d.f).department_id, (d.f).program, (d.f).academic_year, m.measure, m.label, sum(d.sign * m.value)
  from (${deltas}) d cross join lateral cycle_report_measures(d.f) m
  group by 1, 2, 3, 4, 5
  having sum(d.sign * m.value) <> 0
  order by 1, 2 nulls first, 3, 4, 5
  on conflict (department_id, program, academic_year, measure, label) do update set value = r.value + excluded.value`;

const NEW_ROWS = 'select 1 as sign, n::cycle_report_facts as f from new_rows n';
const OLD_ROWS = 'select -1 as sign, o::cycle_report_facts as f from old_rows o';

const triggerFunction = (db: Kysely<any>, name: string, body: string) =>
  sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${body}; return null; end $$`).execute(db);

/** Triggers `${prefix}_inserted`, `_updated` and `_deleted` on `table`, per statement, each calling its function of that name. */
async function statementTriggers(db: Kysely<any>, table: string, prefix: string): Promise<void> {
  for (const [name, op, refs] of [
    ['inserted', 'insert', 'new table as new_rows'],
    ['updated', 'update', 'old table as old_rows new table as new_rows'],
    ['deleted', 'delete', 'old table as old_rows'],
  ]) {
    await sql
      .raw(`create trigger ${prefix}_${name} after ${op} on ${table} referencing ${refs} for each statement execute function ${prefix}_${name}()`)
      .execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `create table cycle_report_facts (
      cycle_id uuid primary key references cycles(id) on delete cascade,
      pair_id uuid not null,
      department_id text not null,
      program text,
      academic_year integer not null,
      first_cycle boolean not null,
      enrolled_on date not null,
      finished boolean not null,
      ${TIMELINE_FACTS.map((f) => `${f.column} ${f.type} not null default ${zero[f.type]}`).join(',\n')}
    )`,
    )
    .execute(db);
  await sql`create index cycle_report_facts_pair_idx on cycle_report_facts (pair_id)`.execute(db);
  await sql`
    create table cycle_report_counts (
      department_id text not null,
      program text,
      academic_year integer not null,
      measure text not null,
      label text not null default '',
      value bigint not null,
      constraint cycle_report_counts_key unique nulls not distinct (department_id, program, academic_year, measure, label)
    )`.execute(db);

  // Where each cycle is counted. Joined late: enrolled after the year's first day, in the pair's first year.
  await sql`
    create view cycle_report_placement as
    select c.id as cycle_id, c.pair_id, p.department_id, p.program, c.academic_year,
           c.academic_year = (select min(c2.academic_year) from cycles c2 where c2.pair_id = c.pair_id) as first_cycle,
           (c.enrolled_at at time zone 'UTC')::date as enrolled_on,
           c.status in ('ended', 'completed') as finished
    from cycles c join pairs p on p.id = c.pair_id`.execute(db);

  await sql`
    create function cycle_report_union(a text[], b text[]) returns text[] language sql immutable as $$
      select coalesce(array_agg(distinct x order by x), '{}') from unnest(a || b) as x
    $$`.execute(db);

  // A stalled step's ending, as the report reads it: completed after the reminder, else resolved
  // by the coordinator, else referred, else lapsed (closed, or the cycle is over), else still open.
  await sql
    .raw(
      `create function cycle_report_measures(f cycle_report_facts) returns table (measure text, label text, value bigint) language sql stable as $$
      select m.measure, '', m.value::bigint from (values ${CYCLE_MEASURES.map(([m, v]) => `('${m}', ${v})`).join(', ')}) as m(measure, value) where m.value <> 0
      union all select 'first_enrolled', to_char(f.enrolled_on, 'YYYY-MM-DD'), 1 where f.first_cycle
      union all select 'ended_pairs', r, 1 from unnest(f.ended_reasons) as r
      union all select 'paused_by_reason', r, count(*) from unnest(f.pause_reasons) as r group by r
      union all select 'paused_by_reason_pairs', r, 1 from unnest(f.pause_reasons) as r group by r
      union all select 'stalls', s, 1 from unnest(f.stalled_steps) as s
      union all
      select case
               when s = any(f.completed_steps) then 'stalls_completed'
               when s = any(f.resolved_steps) then 'stalls_resolved'
               when s = any(f.referred_steps) then 'stalls_referred'
               when s = any(f.closed_steps) or f.finished then 'stalls_lapsed'
               else 'stalls_still_open'
             end, s, 1
      from unnest(f.stalled_steps) as s
    $$`,
    )
    .execute(db);

  // Facts rows → count rows, per statement.
  await triggerFunction(db, 'cycle_report_facts_inserted', upsertCounts(NEW_ROWS));
  await triggerFunction(db, 'cycle_report_facts_updated', upsertCounts(`${NEW_ROWS} union all ${OLD_ROWS}`));
  await triggerFunction(db, 'cycle_report_facts_deleted', upsertCounts(OLD_ROWS));
  await statementTriggers(db, 'cycle_report_facts', 'cycle_report_facts');

  // Events → facts: one grouped upsert per statement, in cycle order. The row's latest version is
  // merged (on conflict), so concurrent writers to one cycle add up rather than overwrite.
  await triggerFunction(
    db,
    'cycle_events_add_report_facts',
    `insert into cycle_report_facts as f (cycle_id, ${PLACEMENT.join(', ')}, ${factColumns})
     select t.cycle_id, ${PLACEMENT.map((c) => `pl.${c}`).join(', ')}, ${TIMELINE_FACTS.map((c) => `t.${c.column}`).join(', ')}
     from (${timelineFacts('e.cycle_id', `new_rows e where ${counted('e')}`)}) t
     join cycle_report_placement pl on pl.cycle_id = t.cycle_id
     order by t.cycle_id
     on conflict (cycle_id) do update set ${TIMELINE_FACTS.map((c) => `${c.column} = ${MERGE[c.merge](c.column)}`).join(', ')}`,
  );
  // Nothing in src/ updates or deletes events; if anything does (a cycle's events deleted before
  // the cycle), the cycles it touched are counted again from what is left.
  await triggerFunction(db, 'cycle_events_recount_deleted', recountCycles('select distinct cycle_id from old_rows'));
  await triggerFunction(db, 'cycle_events_recount_updated', recountCycles('select cycle_id from old_rows union select cycle_id from new_rows'));
  await sql`create trigger cycle_events_add_report_facts after insert on cycle_events referencing new table as new_rows for each statement execute function cycle_events_add_report_facts()`.execute(
    db,
  );
  await sql`create trigger cycle_events_recount_deleted after delete on cycle_events referencing old table as old_rows for each statement execute function cycle_events_recount_deleted()`.execute(
    db,
  );
  await sql`create trigger cycle_events_recount_updated after update on cycle_events referencing old table as old_rows new table as new_rows for each statement execute function cycle_events_recount_updated()`.execute(
    db,
  );

  // Cycles → facts. "cycles_a_…" fires before 0015's cycles_count_… (see the lock order above).
  // A deleted cycle's facts go with it (on delete cascade); its pair's other cycles may become the first.
  await triggerFunction(db, 'cycles_a_report_facts_inserted', placeCycles('pl.pair_id in (select pair_id from new_rows)'));
  await triggerFunction(db, 'cycles_a_report_facts_deleted', placeCycles('pl.pair_id in (select pair_id from old_rows)'));
  // Most cycle updates (the projection's due dates, rungs, steps) change none of this: nothing is written.
  const moved = `from old_rows o join new_rows n on n.id = o.id
    where o.pair_id <> n.pair_id or o.academic_year <> n.academic_year or o.enrolled_at <> n.enrolled_at
       or (o.status in ('ended', 'completed')) <> (n.status in ('ended', 'completed'))`;
  await triggerFunction(
    db,
    'cycles_a_report_facts_updated',
    `if exists (select ${moved}) then
       ${placeCycles(`pl.pair_id in (select o.pair_id ${moved} union all select n.pair_id ${moved})`)};
     end if`,
  );
  await statementTriggers(db, 'cycles', 'cycles_a_report_facts');

  // Pairs → facts: a pair moved to another program or department takes its cycles' counts along.
  // "pairs_a_…" fires before 0015's pairs_keep_stage_counts.
  await sql
    .raw(`create function pairs_a_report_facts_moved() returns trigger language plpgsql as $$ begin ${placeCycles('pl.pair_id = new.id')}; return null; end $$`)
    .execute(db);
  await sql`
    create trigger pairs_a_report_facts_moved after update of department_id, program on pairs for each row
    when (old.department_id is distinct from new.department_id or old.program is distinct from new.program)
    execute function pairs_a_report_facts_moved()`.execute(db);

  // The facts and counts as they stand (in the migration's transaction, so no write falls between);
  // the facts insert trigger fills cycle_report_counts.
  await sql`lock table pairs, cycles, cycle_events in share mode`.execute(db);
  await sql
    .raw(
      `insert into cycle_report_facts (cycle_id, ${PLACEMENT.join(', ')}, ${factColumns})
       select pl.cycle_id, ${PLACEMENT.map((c) => `pl.${c}`).join(', ')}, ${TIMELINE_FACTS.map((c) => `t.${c.column}`).join(', ')}
       from cycle_report_placement pl
       join (${timelineFacts('c.id', `cycles c left join cycle_events e on e.cycle_id = c.id and ${counted('e')}`)}) t on t.cycle_id = pl.cycle_id`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists pairs_a_report_facts_moved on pairs`.execute(db);
  await sql`drop function if exists pairs_a_report_facts_moved()`.execute(db);
  for (const op of ['inserted', 'updated', 'deleted']) {
    await sql.raw(`drop trigger if exists cycles_a_report_facts_${op} on cycles`).execute(db);
    await sql.raw(`drop function if exists cycles_a_report_facts_${op}()`).execute(db);
  }
  for (const t of ['cycle_events_add_report_facts', 'cycle_events_recount_deleted', 'cycle_events_recount_updated']) {
    await sql.raw(`drop trigger if exists ${t} on cycle_events`).execute(db);
    await sql.raw(`drop function if exists ${t}()`).execute(db);
  }
  await sql`drop table if exists cycle_report_counts`.execute(db);
  await sql`drop function if exists cycle_report_measures(cycle_report_facts)`.execute(db);
  await sql`drop view if exists cycle_report_placement`.execute(db);
  await sql`drop table if exists cycle_report_facts`.execute(db);
  for (const op of ['inserted', 'updated', 'deleted']) await sql.raw(`drop function if exists cycle_report_facts_${op}()`).execute(db);
  await sql`drop function if exists cycle_report_union(text[], text[])`.execute(db);
}
