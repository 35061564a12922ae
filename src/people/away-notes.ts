/** Who of a pair is away now, until when, and who covers: for the coordinator's dashboard. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { listCurrentTimeAwayOfPairs } from '../stores/people-store.ts';

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
  for (const r of await listCurrentTimeAwayOfPairs(db, pairIds, now)) {
    const list = notes.get(r.pairId) ?? [];
    list.push({
      role: r.awayIsMentor ? 'mentor' : 'mentee',
      until: r.endsAt,
      pausesSteps: r.pauseSteps,
      contingency: r.contingency ? { name: r.contingency.name, email: r.contingency.email ?? '', covers: r.contingency.covers ?? '' } : null,
    });
    notes.set(r.pairId, list);
  }
  return notes;
}
