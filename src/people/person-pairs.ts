/** A person's pairs and cycles, as their own page and their actions need them: ids, names, states. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { displayName } from '../domain/person.ts';

export interface PersonPair {
  pairId: string;
  role: 'mentor' | 'mentee';
  pairStatus: 'active' | 'ended';
  partner: { id: string; name: string; pronouns: string | null; email: string; timeZone: string };
  cycles: { id: string; workflowId: string; academicYear: number; status: string; currentStep: string | null; dueAt: Date | null }[];
}

export async function loadPersonPairs(db: Kysely<Database>, personId: string): Promise<PersonPair[]> {
  const pairs = await db
    .selectFrom('pairs')
    .innerJoin('people as mentor', 'mentor.id', 'pairs.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'pairs.mentee_id')
    .select([
      'pairs.id',
      'pairs.status',
      'pairs.mentor_id',
      'mentor.full_name as mentorFull',
      'mentor.preferred_name as mentorPreferred',
      'mentor.pronouns as mentorPronouns',
      'mentor.email as mentorEmail',
      'mentor.time_zone as mentorZone',
      'pairs.mentee_id',
      'mentee.full_name as menteeFull',
      'mentee.preferred_name as menteePreferred',
      'mentee.pronouns as menteePronouns',
      'mentee.email as menteeEmail',
      'mentee.time_zone as menteeZone',
    ])
    .where((eb) => eb.or([eb('pairs.mentor_id', '=', personId), eb('pairs.mentee_id', '=', personId)]))
    .orderBy('pairs.created_at')
    .execute();
  if (pairs.length === 0) return [];
  const cycles = await db
    .selectFrom('cycles')
    .select(['id', 'pair_id', 'workflow_id', 'academic_year', 'status', 'current_step', 'due_at'])
    .where(
      'pair_id',
      'in',
      pairs.map((p) => p.id),
    )
    .orderBy('academic_year', 'desc')
    .execute();
  return pairs.map((p) => {
    const mentor = p.mentor_id === personId;
    return {
      pairId: p.id,
      role: mentor ? 'mentor' : 'mentee',
      pairStatus: p.status,
      partner: mentor
        ? { id: p.mentee_id, name: displayName({ fullName: p.menteeFull, preferredName: p.menteePreferred }), pronouns: p.menteePronouns, email: p.menteeEmail, timeZone: p.menteeZone }
        : { id: p.mentor_id, name: displayName({ fullName: p.mentorFull, preferredName: p.mentorPreferred }), pronouns: p.mentorPronouns, email: p.mentorEmail, timeZone: p.mentorZone },
      cycles: cycles
        .filter((c) => c.pair_id === p.id)
        .map((c) => ({ id: c.id, workflowId: c.workflow_id, academicYear: c.academic_year, status: c.status, currentStep: c.current_step, dueAt: c.due_at })),
    };
  });
}

/** The cycles that are still running (this year's, of active pairs): where Updates go. */
export function liveCycles(pairs: PersonPair[]): { pair: PersonPair; cycle: PersonPair['cycles'][number] }[] {
  return pairs.flatMap((pair) =>
    pair.pairStatus === 'active'
      ? pair.cycles
          .filter((c) => c.status !== 'completed' && c.status !== 'ended')
          .slice(0, 1)
          .map((cycle) => ({ pair, cycle }))
      : [],
  );
}
