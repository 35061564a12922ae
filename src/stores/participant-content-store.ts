/**
 * What participants write and read in their year: expectations, goals, check-in content,
 * feedback, pending action saves, help requests and IDPs, as Postgres holds them (sealed
 * columns sealed and opened here, with src/security/data-encryption.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

// ── expectations ─────────────────────────────────────────────────────────────

/** Where the latest expectations say the pair meets (nulls when there are none yet). */
export async function findMeetingPlace(db: Kysely<Database>, cycleId: string): Promise<{ meetingFormat: string | null; meetingLocation: string | null }> {
  const e = await db.selectFrom('expectations').select(['meeting_format', 'meeting_location']).where('cycle_id', '=', cycleId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return { meetingFormat: e?.meeting_format ?? null, meetingLocation: e?.meeting_location ?? null };
}
