/**
 * The department's people for the coordinator: search by name or email, one person (their
 * pairs come from src/people/person-pairs.ts), and the coordinator's corrections to a person's record. An email address is a
 * person's identity, so only a coordinator changes it, never to an address another person of
 * the department already has (the unique index decides, across processes).
 */
import type { Kysely } from 'kysely';
import type { Database, Person } from '../../db/schema.ts';
import { recordRead, type AuditActor } from '../security/audit-log.ts';
import { validatePerson, type FieldProblem } from '../enrollment/validate-person.ts';

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
  const next = { full_name: checked.person.fullName, preferred_name: checked.person.preferredName, pronouns: checked.person.pronouns, time_zone: checked.person.timeZone, email: checked.person.email };
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('people').selectAll().where('id', '=', personId).where('department_id', '=', departmentId).forUpdate().executeTakeFirst();
    if (!before) throw new PersonCorrectionError([{ field: 'person', reason: 'no such person in this department' }]);
    const changed = (Object.keys(FIELD_NAMES) as (keyof typeof FIELD_NAMES)[]).filter((k) => before[k] !== next[k]);
    if (changed.length === 0) return { before, after: before, changed };
    if (changed.includes('email')) {
      const holder = await trx.selectFrom('people').select('id').where('department_id', '=', departmentId).where('email', '=', next.email).where('id', '!=', personId).executeTakeFirst();
      if (holder) throw new PersonCorrectionError([{ field: 'email', reason: `${next.email} already belongs to another person in this department; nothing was changed` }], 409);
    }
    let after: Person;
    try {
      after = await trx.updateTable('people').set({ ...next, updated_at: new Date() }).where('id', '=', personId).returningAll().executeTakeFirstOrThrow();
    } catch (error) {
      // Two corrections racing to the same address: the unique index refuses the second.
      if ((error as { code?: string }).code === '23505') throw new PersonCorrectionError([{ field: 'email', reason: `${next.email} already belongs to another person in this department; nothing was changed` }], 409);
      throw error;
    }
    // The audit row names the fields, not their values: it is read by people who need not see them.
    await recordRead(trx, { actor, action: 'correct-person', subject: { kind: 'person', id: personId }, reason: `corrected: ${changed.map((k) => FIELD_NAMES[k]).join(', ')}` });
    return { before, after, changed };
  });
}
