/** Who of a pair is away now, until when, and who covers: for the coordinator's dashboard. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface AwayNote {
  role: 'mentor' | 'mentee';
  /** The last instant away (the span's end). */
  until: Date;
  pausesSteps: boolean;
  contingency: { name: string; email: string; covers: string } | null;
}

export async function awayNotesForPairs(db: Kysely<Database>, pairIds: string[], now: Date): Promise<Map<string, AwayNote[]>> {
  const notes = new Map<string, AwayNote[]>();
  if (pairIds.length === 0) return notes;
  const rows = await db
    .selectFrom('time_away as t')
    .innerJoin('pairs as p', (j) => j.on((eb) => eb.or([eb('p.mentor_id', '=', eb.ref('t.person_id')), eb('p.mentee_id', '=', eb.ref('t.person_id'))])))
    .select(['p.id as pairId', 'p.mentor_id', 't.person_id', 't.ends_at', 't.pause_steps', 't.contingency_name', 't.contingency_email', 't.contingency_covers'])
    .where('p.id', 'in', pairIds)
    .where('t.status', '!=', 'ended')
    .where('t.starts_at', '<=', now)
    .where('t.ends_at', '>', now)
    .execute();
  for (const r of rows) {
    const list = notes.get(r.pairId) ?? [];
    list.push({
      role: r.person_id === r.mentor_id ? 'mentor' : 'mentee',
      until: r.ends_at,
      pausesSteps: r.pause_steps,
      contingency: r.contingency_name ? { name: r.contingency_name, email: r.contingency_email ?? '', covers: r.contingency_covers ?? '' } : null,
    });
    notes.set(r.pairId, list);
  }
  return notes;
}
