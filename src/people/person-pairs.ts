/** A person's pairs and cycles, as their own page and their actions need them: ids, names, states. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { cycleStatesOfPairs } from '../stores/cycle-store.ts';
import { listPairsOfPerson } from '../stores/people-store.ts';
import { displayName } from '../domain/person.ts';

export interface PersonPair {
  pairId: string;
  role: 'mentor' | 'mentee';
  pairStatus: 'active' | 'ended';
  partner: { id: string; name: string; pronouns: string | null; email: string; timeZone: string };
  cycles: { id: string; workflowId: string; academicYear: number; status: string; currentStep: string | null; dueAt: Date | null }[];
}

export async function loadPersonPairs(db: Kysely<Database>, personId: string): Promise<PersonPair[]> {
  const pairs = await listPairsOfPerson(db, personId);
  if (pairs.length === 0) return [];
  const cycles = await cycleStatesOfPairs(
    db,
    pairs.map((p) => p.id),
  );
  return pairs.map((p) => {
    const mentor = p.mentorId === personId;
    return {
      pairId: p.id,
      role: mentor ? 'mentor' : 'mentee',
      pairStatus: p.status,
      partner: mentor
        ? {
            id: p.menteeId,
            name: displayName({ fullName: p.menteeFull, preferredName: p.menteePreferred }),
            pronouns: p.menteePronouns,
            email: p.menteeEmail,
            timeZone: p.menteeZone,
          }
        : {
            id: p.mentorId,
            name: displayName({ fullName: p.mentorFull, preferredName: p.mentorPreferred }),
            pronouns: p.mentorPronouns,
            email: p.mentorEmail,
            timeZone: p.mentorZone,
          },
      cycles: cycles.filter((c) => c.pairId === p.id).map(({ pairId: _pair, ...cycle }) => cycle),
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
