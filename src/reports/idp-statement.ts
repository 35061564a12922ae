/**
 * The NIH IDP numbers: for a list of trainees (mentees), whether in the last twelve months
 * they updated their training goals (their individual development plan) and their mentor
 * reviewed them, with the dates. Read from the timeline (training-goals-updated and the
 * training-goals step completed as "reviewed"); never the goals themselves.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { findMenteesByEmail, listIdpReviewDates, listProgramMentees } from '../stores/participant-content-store.ts';
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
export async function resolveTrainees(
  db: Kysely<Database>,
  departmentId: string,
  lines: TraineeLine[],
): Promise<{ personIds: string[]; problems: LineProblem[] }> {
  if (lines.length === 0) return { personIds: [], problems: [] };
  const found = await findMenteesByEmail(
    db,
    departmentId,
    lines.map((l) => l.email),
  );
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
  return listProgramMentees(db, departmentId, program, window);
}

export async function idpStatement(db: Kysely<Database>, departmentId: string, personIds: string[], window: { from: Date; to: Date }): Promise<IdpStatement> {
  if (personIds.length === 0) return { ...window, trainees: [], reviewed: 0 };
  const rows = await listIdpReviewDates(db, departmentId, personIds, window);
  const trainees = rows.map((r) => ({
    personId: r.id,
    email: r.email,
    name: r.name,
    mentors: r.mentors,
    updatedAt: r.updated_at && new Date(r.updated_at),
    reviewedAt: r.reviewed_at && new Date(r.reviewed_at),
  }));
  return { ...window, trainees, reviewed: trainees.filter((t) => t.reviewedAt !== null).length };
}
