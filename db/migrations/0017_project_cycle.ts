import { sql, type Kysely } from 'kysely';

/**
 * project_cycle: a cycle's projection (its timeline events, its new state, the pair's end) as
 * one call, so one round trip instead of four (begin, insert, update, commit). The projection
 * runs for almost every transition of every cycle, and on a worker each Postgres round trip
 * costs about half a millisecond of its CPU.
 *
 * The statements are those of the transaction it replaces, in the same order: events first,
 * then the cycle, then the pair. The count triggers of 0015 and 0016 fire after each statement
 * as they did, so the lock order described in 0016 still holds. (One statement with
 * data-modifying CTEs would not keep it: Postgres runs those in no set order.)
 *
 * Arguments: the cycle's id; its state as {status, currentStep, dueAt, owedBy, stalledSince,
 * ladderRung}; its new events as [{event_key, occurred_at, step, kind, detail}]. Events already
 * recorded (same cycle and key) are left as they are, so a retried projection lands once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function project_cycle(p_cycle_id uuid, p_state jsonb, p_events jsonb) returns void
    language plpgsql as $$
    declare
      v_pair_id uuid;
      v_ended jsonb;
    begin
      if jsonb_array_length(p_events) > 0 then
        insert into cycle_events (cycle_id, event_key, occurred_at, step, kind, detail)
        select p_cycle_id, e.event_key, e.occurred_at, e.step, e.kind, coalesce(e.detail, '{}'::jsonb)
          from jsonb_to_recordset(p_events) as e(event_key text, occurred_at timestamptz, step text, kind text, detail jsonb)
        on conflict (cycle_id, event_key) do nothing;
      end if;

      update cycles
         set status = p_state->>'status',
             current_step = p_state->>'currentStep',
             due_at = (p_state->>'dueAt')::timestamptz,
             owed_by = p_state->>'owedBy',
             stalled_since = (p_state->>'stalledSince')::timestamptz,
             ladder_rung = (p_state->>'ladderRung')::integer,
             updated_at = now()
       where id = p_cycle_id
      returning pair_id into v_pair_id;
      if v_pair_id is null then
        raise exception 'cycle % not found', p_cycle_id using errcode = 'no_data_found';
      end if;

      select e.value into v_ended
        from jsonb_array_elements(p_events) with ordinality as e(value, n)
       where e.value->>'kind' = 'pair-ended'
       order by e.n
       limit 1;
      if v_ended is not null then
        update pairs
           set status = 'ended',
               ended_reason = coalesce(v_ended->'detail'->>'reason', 'other'),
               ended_at = (v_ended->>'occurred_at')::timestamptz
         where id = v_pair_id;
      end if;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists project_cycle(uuid, jsonb, jsonb)`.execute(db);
}
