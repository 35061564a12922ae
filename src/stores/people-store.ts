/**
 * People, their pairs and their time away: the rows of who takes part, as Postgres holds them.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, TimeAwayKind, TimeAwayTable } from '../../db/schema.ts';

// ── undeliverable addresses (outbox) ────────────────────────────────────────

export async function findUndeliverableEmail(db: Kysely<Database>, personId: string): Promise<{ undeliverableEmail: string | null; undeliverableReason: string | null } | undefined> {
  const row = await db.selectFrom('people').select(['undeliverable_email', 'undeliverable_reason']).where('id', '=', personId).executeTakeFirst();
  return row && { undeliverableEmail: row.undeliverable_email, undeliverableReason: row.undeliverable_reason };
}

/** Marks the person's address undeliverable, if it is still their address. */
export async function markEmailUndeliverable(db: Kysely<Database>, personId: string, address: string, reason: string): Promise<void> {
  await db
    .updateTable('people')
    .set({ undeliverable_email: address, undeliverable_reason: reason, undeliverable_since: new Date() })
    .where('id', '=', personId)
    .where('email', '=', address)
    .execute();
}

// ── pairs ────────────────────────────────────────────────────────────────────

/** Active pairs a person is in, as mentor or mentee. */
export async function countActivePairs(db: Kysely<Database>, personId: string): Promise<number> {
  const row = await db
    .selectFrom('pairs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('mentor_id', '=', personId), eb('mentee_id', '=', personId)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ── people ───────────────────────────────────────────────────────────────────

/** The person's time zone, or undefined when there is no such person. */
export async function findPersonTimeZone(db: Kysely<Database>, personId: string): Promise<string | undefined> {
  const person = await db.selectFrom('people').select('time_zone').where('id', '=', personId).executeTakeFirst();
  return person?.time_zone;
}

/** Each pair the person is in (either side), oldest first, with both people's names and addresses. */
export async function listPairsOfPerson(db: Kysely<Database>, personId: string) {
  return db
    .selectFrom('pairs')
    .innerJoin('people as mentor', 'mentor.id', 'pairs.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'pairs.mentee_id')
    .select([
      'pairs.id',
      'pairs.status',
      'pairs.mentor_id as mentorId',
      'mentor.full_name as mentorFull',
      'mentor.preferred_name as mentorPreferred',
      'mentor.pronouns as mentorPronouns',
      'mentor.email as mentorEmail',
      'mentor.time_zone as mentorZone',
      'pairs.mentee_id as menteeId',
      'mentee.full_name as menteeFull',
      'mentee.preferred_name as menteePreferred',
      'mentee.pronouns as menteePronouns',
      'mentee.email as menteeEmail',
      'mentee.time_zone as menteeZone',
    ])
    .where((eb) => eb.or([eb('pairs.mentor_id', '=', personId), eb('pairs.mentee_id', '=', personId)]))
    .orderBy('pairs.created_at')
    .execute();
}

// ── time away ────────────────────────────────────────────────────────────────

export interface TimeAway {
  id: string;
  personId: string;
  kind: TimeAwayKind;
  status: 'scheduled' | 'active' | 'ended';
  startsAt: Date;
  endsAt: Date;
  pauseSteps: boolean;
  contingency: { name: string; email: string | null; covers: string | null } | null;
}

function timeAwayOf(row: Selectable<TimeAwayTable>): TimeAway {
  return {
    id: row.id,
    personId: row.person_id,
    kind: row.kind,
    status: row.status,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    pauseSteps: row.pause_steps,
    contingency: row.contingency_name ? { name: row.contingency_name, email: row.contingency_email, covers: row.contingency_covers } : null,
  };
}

/** One person's time-away writes queue behind each other until the transaction ends. */
export async function lockTimeAwayOf(trx: Kysely<Database>, personId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`time-away:${personId}`}))`.execute(trx);
}

/** A span of the person's, not ended, that overlaps this one. */
export async function findOverlappingTimeAway(db: Kysely<Database>, personId: string, span: { startsAt: Date; endsAt: Date }): Promise<{ startsAt: Date; endsAt: Date } | undefined> {
  const row = await db
    .selectFrom('time_away')
    .select(['starts_at', 'ends_at'])
    .where('person_id', '=', personId)
    .where('status', '!=', 'ended')
    .where('starts_at', '<', span.endsAt)
    .where('ends_at', '>', span.startsAt)
    .executeTakeFirst();
  return row && { startsAt: row.starts_at, endsAt: row.ends_at };
}

export async function insertTimeAway(
  db: Kysely<Database>,
  away: { personId: string; kind: TimeAwayKind; startsAt: Date; endsAt: Date; pauseSteps: boolean; contingency: { name: string; email: string; covers: string } | null },
): Promise<string> {
  const row = await db
    .insertInto('time_away')
    .values({
      person_id: away.personId,
      kind: away.kind,
      starts_at: away.startsAt,
      ends_at: away.endsAt,
      pause_steps: away.pauseSteps,
      contingency_name: away.contingency?.name ?? null,
      contingency_email: away.contingency?.email ?? null,
      contingency_covers: away.contingency?.covers ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The span; with `personId`, only if it is theirs. */
export async function findTimeAway(db: Kysely<Database>, timeAwayId: string, personId?: string): Promise<TimeAway | undefined> {
  let query = db.selectFrom('time_away').selectAll().where('id', '=', timeAwayId);
  if (personId !== undefined) query = query.where('person_id', '=', personId);
  const row = await query.executeTakeFirst();
  return row && timeAwayOf(row);
}

/** scheduled → active; a span already active or ended stays as it is. */
export async function markTimeAwayActive(db: Kysely<Database>, timeAwayId: string): Promise<void> {
  await db.updateTable('time_away').set({ status: 'active' }).where('id', '=', timeAwayId).where('status', '=', 'scheduled').execute();
}

export async function markTimeAwayEndedEarly(db: Kysely<Database>, timeAwayId: string, at: Date): Promise<void> {
  await db.updateTable('time_away').set({ status: 'ended', ended_early_at: at }).where('id', '=', timeAwayId).execute();
}

/** Spans going on at `now` of a mentor or mentee of these pairs, one row per pair and span. */
export async function listCurrentTimeAwayOfPairs(db: Kysely<Database>, pairIds: string[], now: Date) {
  const rows = await db
    .selectFrom('time_away as t')
    .innerJoin('pairs as p', (j) => j.on((eb) => eb.or([eb('p.mentor_id', '=', eb.ref('t.person_id')), eb('p.mentee_id', '=', eb.ref('t.person_id'))])))
    .select(['p.id as pairId', 'p.mentor_id', 't.person_id', 't.ends_at', 't.pause_steps', 't.contingency_name', 't.contingency_email', 't.contingency_covers'])
    .where('p.id', 'in', pairIds)
    .where('t.status', '!=', 'ended')
    .where('t.starts_at', '<=', now)
    .where('t.ends_at', '>', now)
    .execute();
  return rows.map((r) => ({
    pairId: r.pairId,
    awayIsMentor: r.person_id === r.mentor_id,
    endsAt: r.ends_at,
    pauseSteps: r.pause_steps,
    contingency: r.contingency_name ? { name: r.contingency_name, email: r.contingency_email, covers: r.contingency_covers } : null,
  }));
}

// ── profile ──────────────────────────────────────────────────────────────────

export async function findProfile(db: Kysely<Database>, personId: string): Promise<{ fullName: string; preferredName: string | null; pronouns: string | null; timeZone: string }> {
  const row = await db.selectFrom('people').select(['full_name', 'preferred_name', 'pronouns', 'time_zone']).where('id', '=', personId).executeTakeFirstOrThrow();
  return { fullName: row.full_name, preferredName: row.preferred_name, pronouns: row.pronouns, timeZone: row.time_zone };
}

/** Saves how the person is called and their zone; returns when (updated_at) it was saved. */
export async function saveProfile(db: Kysely<Database>, personId: string, profile: { preferredName: string; pronouns: string | null; timeZone: string }): Promise<Date> {
  const saved = await db
    .updateTable('people')
    .set({ preferred_name: profile.preferredName, pronouns: profile.pronouns, time_zone: profile.timeZone, updated_at: new Date() })
    .where('id', '=', personId)
    .returning('updated_at')
    .executeTakeFirstOrThrow();
  return saved.updated_at;
}

/** The pair's mentor and department. */
export async function findPairMentor(db: Kysely<Database>, pairId: string): Promise<{ mentorId: string; departmentId: string }> {
  const pair = await db.selectFrom('pairs').select(['mentor_id', 'department_id']).where('id', '=', pairId).executeTakeFirstOrThrow();
  return { mentorId: pair.mentor_id, departmentId: pair.department_id };
}

/** The mentor and mentee of the cycle's pair, as they are now; undefined when there is no such cycle. */
export async function findPairPeopleOfCycle(db: Kysely<Database>, cycleId: string) {
  return db
    .selectFrom('cycles')
    .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
    .innerJoin('people as mentor', 'mentor.id', 'pairs.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'pairs.mentee_id')
    .select([
      'mentor.id as mentorId',
      'mentor.email as mentorEmail',
      'mentor.full_name as mentorFullName',
      'mentor.preferred_name as mentorPreferredName',
      'mentor.pronouns as mentorPronouns',
      'mentor.time_zone as mentorTimeZone',
      'mentee.id as menteeId',
      'mentee.email as menteeEmail',
      'mentee.full_name as menteeFullName',
      'mentee.preferred_name as menteePreferredName',
      'mentee.pronouns as menteePronouns',
      'mentee.time_zone as menteeTimeZone',
    ])
    .where('cycles.id', '=', cycleId)
    .executeTakeFirst();
}
