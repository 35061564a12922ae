/**
 * The NIH IDP numbers: for a list of trainees (mentees), whether in the last twelve months
 * they updated their training goals (their individual development plan) and their mentor
 * reviewed them, with the dates. Read from the timeline (training-goals-updated and the
 * training-goals step completed as "reviewed"); never the goals themselves.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { LineProblem, TraineeLine } from './trainee-list.ts';

export interface TraineeIdp {
  personId: string;
  email: string;
  name: string;
  mentors: string[];
  /** The latest update of their goals in the window, if any. */
  updatedAt: Date | null;
  /** The latest mentor review in the window, if any. */
  reviewedAt: Date | null;
}

export interface IdpStatement {
  from: Date;
  to: Date;
  trainees: TraineeIdp[];
  /** Trainees whose goals were updated and reviewed with their mentor in the window. */
  reviewed: number;
}

/** Twelve months back from `to`. */
export function idpWindow(to: Date): { from: Date; to: Date } {
  const from = new Date(to);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  return { from, to };
}

/** The people a list names, or the lines that name nobody who is a mentee here. */
export async function resolveTrainees(db: Kysely<Database>, departmentId: string, lines: TraineeLine[]): Promise<{ personIds: string[]; problems: LineProblem[] }> {
  if (lines.length === 0) return { personIds: [], problems: [] };
  const found = await db
    .selectFrom('people')
    .leftJoin('pairs', (j) => j.onRef('pairs.mentee_id', '=', 'people.id'))
    .where('people.department_id', '=', departmentId)
    .where('people.email', 'in', lines.map((l) => l.email))
    .select(['people.id', 'people.email', sql<boolean>`count(pairs.id) > 0`.as('is_mentee')])
    .groupBy(['people.id', 'people.email'])
    .execute();
  const byEmail = new Map(found.map((f) => [f.email, f]));
  const problems: LineProblem[] = [];
  const personIds: string[] = [];
  for (const l of lines) {
    const person = byEmail.get(l.email);
    if (!person) problems.push({ line: l.line, text: l.email, reason: 'is nobody in Tandem' });
    else if (!person.is_mentee) problems.push({ line: l.line, text: l.email, reason: 'is not the mentee of any pair' });
    else personIds.push(person.id);
  }
  return { personIds, problems };
}

/** The mentees of a program's pairs that had a cycle in the window. */
export async function programTrainees(db: Kysely<Database>, departmentId: string, program: string, window: { from: Date; to: Date }): Promise<string[]> {
  const rows = await db
    .selectFrom('pairs as p')
    .innerJoin('cycles as c', 'c.pair_id', 'p.id')
    .where('p.department_id', '=', departmentId)
    .where('p.program', '=', program)
    .where('c.enrolled_at', '<=', window.to)
    .where((eb) => eb.or([eb('p.ended_at', 'is', null), eb('p.ended_at', '>=', window.from)]))
    .select('p.mentee_id')
    .distinct()
    .execute();
  return rows.map((r) => r.mentee_id);
}

export async function idpStatement(db: Kysely<Database>, departmentId: string, personIds: string[], window: { from: Date; to: Date }): Promise<IdpStatement> {
  if (personIds.length === 0) return { ...window, trainees: [], reviewed: 0 };
  const rows = await db
    .selectFrom('people as mentee')
    .innerJoin('pairs as p', 'p.mentee_id', 'mentee.id')
    .innerJoin('people as mentor', 'mentor.id', 'p.mentor_id')
    .leftJoin('cycles as c', 'c.pair_id', 'p.id')
    .leftJoin('cycle_events as e', (j) =>
      j
        .onRef('e.cycle_id', '=', 'c.id')
        .on('e.step', '=', 'training-goals')
        .on('e.occurred_at', '>=', window.from)
        .on('e.occurred_at', '<=', window.to),
    )
    .where('mentee.department_id', '=', departmentId)
    .where('mentee.id', 'in', personIds)
    .select([
      'mentee.id',
      'mentee.email',
      sql<string>`coalesce(mentee.preferred_name, mentee.full_name)`.as('name'),
      sql<string[]>`array_agg(distinct coalesce(mentor.preferred_name, mentor.full_name) order by coalesce(mentor.preferred_name, mentor.full_name))`.as('mentors'),
      sql<Date | null>`max(e.occurred_at) filter (where e.kind = 'training-goals-updated')`.as('updated_at'),
      sql<Date | null>`max(e.occurred_at) filter (where e.kind = 'step-completed' and e.detail->>'phase' = 'reviewed')`.as('reviewed_at'),
    ])
    .groupBy(['mentee.id', 'mentee.email', 'mentee.preferred_name', 'mentee.full_name'])
    .orderBy('name')
    .execute();
  const trainees = rows.map((r) => ({ personId: r.id, email: r.email, name: r.name, mentors: r.mentors, updatedAt: r.updated_at && new Date(r.updated_at), reviewedAt: r.reviewed_at && new Date(r.reviewed_at) }));
  return { ...window, trainees, reviewed: trainees.filter((t) => t.reviewedAt !== null).length };
}
