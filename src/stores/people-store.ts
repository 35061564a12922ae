/**
 * People, their pairs and their time away, as Postgres holds them: who takes part, the
 * coordinator's search and corrections of a person's record (an email address is a person's
 * identity, so only a coordinator changes it, never to an address another person of the
 * department already has: the unique index decides, across processes), a person's pairs and
 * profile, spans of time away, and enrollment's bulk reads and writes of people, pairs and
 * the department row.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, PairStatus, TimeAwayKind, TimeAwayTable, Person, ReminderDelivery } from '../../db/schema.ts';
import { recordRead, type AuditActor } from '../security/audit-log.ts';
import { validatePerson, type FieldProblem } from '../enrollment/validate-person.ts';

// ── undeliverable addresses (outbox) ────────────────────────────────────────

export async function findUndeliverableEmail(
  db: Kysely<Database>,
  personId: string,
): Promise<{ undeliverableEmail: string | null; undeliverableReason: string | null } | undefined> {
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
export async function findOverlappingTimeAway(
  db: Kysely<Database>,
  personId: string,
  span: { startsAt: Date; endsAt: Date },
): Promise<{ startsAt: Date; endsAt: Date } | undefined> {
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
  away: {
    personId: string;
    kind: TimeAwayKind;
    startsAt: Date;
    endsAt: Date;
    pauseSteps: boolean;
    contingency: { name: string; email: string; covers: string } | null;
  },
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

export async function findProfile(
  db: Kysely<Database>,
  personId: string,
): Promise<{ fullName: string; preferredName: string | null; pronouns: string | null; timeZone: string }> {
  const row = await db
    .selectFrom('people')
    .select(['full_name', 'preferred_name', 'pronouns', 'time_zone'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  return { fullName: row.full_name, preferredName: row.preferred_name, pronouns: row.pronouns, timeZone: row.time_zone };
}

/** Saves how the person is called and their zone; returns when (updated_at) it was saved. */
export async function saveProfile(
  db: Kysely<Database>,
  personId: string,
  profile: { preferredName: string; pronouns: string | null; timeZone: string },
): Promise<Date> {
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

export interface PersonHit {
  id: string;
  email: string;
  fullName: string;
  preferredName: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function searchPeople(db: Kysely<Database>, departmentId: string, query: string, limit = 50): Promise<PersonHit[]> {
  const q = query.replace(/\s+/g, ' ').trim();
  if (!q) return [];
  const like = likePattern(q);
  const rows = await db
    .selectFrom('people')
    .select(['id', 'email', 'full_name', 'preferred_name'])
    .where('department_id', '=', departmentId)
    .where((eb) => eb.or([eb('email', 'ilike', like), eb('full_name', 'ilike', like), eb('preferred_name', 'ilike', like)]))
    .orderBy('full_name')
    .orderBy('email')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, fullName: r.full_name, preferredName: r.preferred_name }));
}

export async function findPerson(db: Kysely<Database>, departmentId: string, personId: string): Promise<Person | undefined> {
  if (!UUID.test(personId)) return undefined;
  return db.selectFrom('people').selectAll().where('id', '=', personId).where('department_id', '=', departmentId).executeTakeFirst();
}

export interface PersonCorrection {
  fullName?: string;
  preferredName?: string;
  pronouns?: string;
  timeZone?: string;
  email?: string;
}

export class PersonCorrectionError extends Error {
  readonly problems: FieldProblem[];
  readonly status: 400 | 409;
  constructor(problems: FieldProblem[], status: 400 | 409 = 400) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
    this.problems = problems;
    this.status = status;
    this.name = 'PersonCorrectionError';
  }
}

const FIELD_NAMES = { full_name: 'name', preferred_name: 'preferred-name', pronouns: 'pronouns', time_zone: 'time-zone', email: 'email' } as const;

/** Applies a coordinator's correction; returns the record before and after and which fields changed. */
export async function correctPerson(
  db: Kysely<Database>,
  actor: AuditActor,
  departmentId: string,
  personId: string,
  input: PersonCorrection,
): Promise<{ before: Person; after: Person; changed: (keyof typeof FIELD_NAMES)[] }> {
  const checked = validatePerson('person', input, '');
  // The form always sends a zone; an empty one is a mistake, not "use the default".
  const problems = checked.problems.map((p) => ({ field: p.field.replace(/^person-/, ''), reason: p.reason }));
  if (!(input.timeZone ?? '').trim()) problems.push({ field: 'time-zone', reason: 'is required (an IANA zone such as America/New_York)' });
  if (problems.length) throw new PersonCorrectionError(problems.filter((p, i, all) => all.findIndex((q) => q.field === p.field) === i));
  const next = {
    full_name: checked.person.fullName,
    preferred_name: checked.person.preferredName,
    pronouns: checked.person.pronouns,
    time_zone: checked.person.timeZone,
    email: checked.person.email,
  };
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('people')
      .selectAll()
      .where('id', '=', personId)
      .where('department_id', '=', departmentId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new PersonCorrectionError([{ field: 'person', reason: 'no such person in this department' }]);
    const changed = (Object.keys(FIELD_NAMES) as (keyof typeof FIELD_NAMES)[]).filter((k) => before[k] !== next[k]);
    if (changed.length === 0) return { before, after: before, changed };
    if (changed.includes('email')) {
      const holder = await trx
        .selectFrom('people')
        .select('id')
        .where('department_id', '=', departmentId)
        .where('email', '=', next.email)
        .where('id', '!=', personId)
        .executeTakeFirst();
      if (holder)
        throw new PersonCorrectionError(
          [{ field: 'email', reason: `${next.email} already belongs to another person in this department; nothing was changed` }],
          409,
        );
    }
    let after: Person;
    try {
      after = await trx
        .updateTable('people')
        .set({ ...next, updated_at: new Date() })
        .where('id', '=', personId)
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      // Two corrections racing to the same address: the unique index refuses the second.
      if ((error as { code?: string }).code === '23505')
        throw new PersonCorrectionError(
          [{ field: 'email', reason: `${next.email} already belongs to another person in this department; nothing was changed` }],
          409,
        );
      throw error;
    }
    // The audit row names the fields, not their values: it is read by people who need not see them.
    await recordRead(trx, {
      actor,
      action: 'correct-person',
      subject: { kind: 'person', id: personId },
      reason: `corrected: ${changed.map((k) => FIELD_NAMES[k]).join(', ')}`,
    });
    return { before, after, changed };
  });
}

// --- people, pairs and time away as participants' pages read them ---

export async function findPersonById(db: Kysely<Database>, personId: string): Promise<Person | undefined> {
  return db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirst();
}

export async function findPeopleByIds(db: Kysely<Database>, personIds: string[]): Promise<Person[]> {
  return db.selectFrom('people').selectAll().where('id', 'in', personIds).execute();
}

/** The department's person with this address (throws when there is none). */
export async function getPersonByEmail(db: Kysely<Database>, departmentId: string, email: string): Promise<Person> {
  return db.selectFrom('people').selectAll().where('department_id', '=', departmentId).where('email', '=', email).executeTakeFirstOrThrow();
}

/** The pair's program, if it has one. */
export async function pairProgram(db: Kysely<Database>, pairId: string): Promise<string | null> {
  const pair = await db.selectFrom('pairs').select('program').where('id', '=', pairId).executeTakeFirst();
  return pair?.program ?? null;
}

/** Whether the person mentors someone in an active pair. */
export async function isActiveMentor(db: Kysely<Database>, personId: string): Promise<boolean> {
  return (await db.selectFrom('pairs').select('id').where('mentor_id', '=', personId).where('status', '=', 'active').executeTakeFirst()) !== undefined;
}

/** Time away of these people that has not ended, earliest first. */
export async function currentTimeAway(db: Kysely<Database>, personIds: string[]) {
  return db.selectFrom('time_away').selectAll().where('person_id', 'in', personIds).where('status', '!=', 'ended').orderBy('starts_at').execute();
}

export async function reminderDeliveryOf(db: Kysely<Database>, personId: string): Promise<ReminderDelivery | undefined> {
  const row = await db.selectFrom('person_settings').select('reminder_delivery').where('person_id', '=', personId).executeTakeFirst();
  return row?.reminder_delivery;
}

export async function setReminderDelivery(db: Kysely<Database>, personId: string, choice: ReminderDelivery): Promise<void> {
  await db
    .insertInto('person_settings')
    .values({ person_id: personId, reminder_delivery: choice })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ reminder_delivery: choice, updated_at: new Date() }))
    .execute();
}

// ── enrollment (bulk, any number of emails or ids) ───────────────────────────

// Postgres takes at most 65,535 parameters a statement: bulk reads and writes go in batches.
const BATCH = 2_000;
const batchesOf = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));
const anyUuid = (values: string[]) => sql<string>`any(${values}::uuid[])`;
const anyText = (values: string[]) => sql<string>`any(${values}::text[])`;

export interface EnrolledPerson {
  id: string;
  email: string;
  fullName: string;
  preferredName: string | null;
  pronouns: string | null;
  timeZone: string;
}

/** The department's people with these emails (those it has). */
export async function listPeopleByEmail(db: Kysely<Database>, departmentId: string, emails: readonly string[]): Promise<EnrolledPerson[]> {
  const found: EnrolledPerson[] = [];
  for (const batch of batchesOf(emails)) {
    const rows = await db
      .selectFrom('people')
      .select(['id', 'email', 'full_name', 'preferred_name', 'pronouns', 'time_zone'])
      .where('department_id', '=', departmentId)
      .where('email', '=', anyText(batch))
      .execute();
    for (const r of rows)
      found.push({ id: r.id, email: r.email, fullName: r.full_name, preferredName: r.preferred_name, pronouns: r.pronouns, timeZone: r.time_zone });
  }
  return found;
}

/** Inserts the people the department does not have yet; one a concurrent import inserted first is left as it is. */
export async function insertPeopleIfNew(db: Kysely<Database>, departmentId: string, people: readonly Omit<EnrolledPerson, 'id'>[]): Promise<void> {
  for (const batch of batchesOf(people)) {
    await db
      .insertInto('people')
      .values(
        batch.map((p) => ({
          department_id: departmentId,
          email: p.email,
          full_name: p.fullName,
          preferred_name: p.preferredName,
          pronouns: p.pronouns,
          time_zone: p.timeZone,
        })),
      )
      .onConflict((oc) => oc.columns(['department_id', 'email']).doNothing())
      .execute();
  }
}

/** Sets the details given (null keeps what is stored) of the department's person with this email. */
export async function updatePersonDetails(
  db: Kysely<Database>,
  departmentId: string,
  email: string,
  details: { preferredName: string | null; pronouns: string | null; timeZone: string | null },
): Promise<void> {
  await db
    .updateTable('people')
    .set({
      ...(details.preferredName !== null ? { preferred_name: details.preferredName } : {}),
      ...(details.pronouns !== null ? { pronouns: details.pronouns } : {}),
      ...(details.timeZone !== null ? { time_zone: details.timeZone } : {}),
      updated_at: new Date(),
    })
    .where('department_id', '=', departmentId)
    .where('email', '=', email)
    .execute();
}

export interface EnrolledPair {
  id: string;
  mentorId: string;
  menteeId: string;
  status: PairStatus;
  program: string | null;
  meetingPreferences: string | null;
}

/** Every pair these people mentor. */
export async function listPairsOfMentors(db: Kysely<Database>, mentorIds: readonly string[]): Promise<EnrolledPair[]> {
  const found: EnrolledPair[] = [];
  for (const batch of batchesOf(mentorIds)) {
    const rows = await db
      .selectFrom('pairs')
      .select(['id', 'mentor_id', 'mentee_id', 'status', 'program', 'meeting_preferences'])
      .where('mentor_id', '=', anyUuid(batch))
      .execute();
    for (const r of rows)
      found.push({ id: r.id, mentorId: r.mentor_id, menteeId: r.mentee_id, status: r.status, program: r.program, meetingPreferences: r.meeting_preferences });
  }
  return found;
}

/** Inserts the pairs not stored yet (a concurrent import may have inserted one first). */
export async function insertPairsIfNew(
  db: Kysely<Database>,
  departmentId: string,
  pairs: readonly { mentorId: string; menteeId: string; program: string | null; meetingPreferences: string | null }[],
): Promise<void> {
  for (const batch of batchesOf(pairs)) {
    await db
      .insertInto('pairs')
      .values(
        batch.map((p) => ({
          department_id: departmentId,
          mentor_id: p.mentorId,
          mentee_id: p.menteeId,
          program: p.program,
          meeting_preferences: p.meetingPreferences,
          ended_reason: null,
        })),
      )
      .onConflict((oc) => oc.columns(['mentor_id', 'mentee_id']).doNothing())
      .execute();
  }
}

/** Sets the pair's details given (null keeps what is stored). */
export async function updatePairDetails(
  db: Kysely<Database>,
  pairId: string,
  details: { program: string | null; meetingPreferences: string | null },
): Promise<void> {
  await db
    .updateTable('pairs')
    .set({
      ...(details.program !== null ? { program: details.program } : {}),
      ...(details.meetingPreferences !== null ? { meeting_preferences: details.meetingPreferences } : {}),
    })
    .where('id', '=', pairId)
    .execute();
}

/** The department's active pairs in these programs, by program, mentor and mentee email. */
export async function listActivePairsInPrograms(
  db: Kysely<Database>,
  departmentId: string,
  programs: string[],
): Promise<{ mentorEmail: string; menteeEmail: string; program: string | null }[]> {
  return db
    .selectFrom('pairs')
    .innerJoin('people as mentor', 'mentor.id', 'pairs.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'pairs.mentee_id')
    .select(['mentor.email as mentorEmail', 'mentee.email as menteeEmail', 'pairs.program'])
    .where('pairs.department_id', '=', departmentId)
    .where('pairs.status', '=', 'active')
    .where('pairs.program', '=', anyText(programs))
    .orderBy('pairs.program')
    .orderBy('mentor.email')
    .orderBy('mentee.email')
    .execute();
}

/** The department row, its name as the policy gives it. */
export async function upsertDepartment(db: Kysely<Database>, department: { id: string; name: string }): Promise<void> {
  await db
    .insertInto('departments')
    .values({ id: department.id, name: department.name })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: department.name }))
    .execute();
}
