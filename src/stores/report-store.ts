/**
 * Reports' rows: the evaluation packets (sealed per mentor and year) and the responses they
 * spent, and the reads the year report and packets are made from.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { SealedValue } from './participant-content-store.ts';

// ── evaluation packets ───────────────────────────────────────────────────────

/** Binds a packet's sealed value to its mentor and year. */
export const packetPurpose = (mentorId: string, year: number) => `packet:${mentorId}:${year}`;

/** The next `limit` packets after `afterId`, by id, with their sealed values. */
export async function listSealedPackets(db: Kysely<Database>, afterId: string, limit: number): Promise<SealedValue[]> {
  const rows = await db
    .selectFrom('evaluation_packets')
    .select(['id', 'sealed', 'mentor_id', 'academic_year'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, sealed: r.sealed, purpose: packetPurpose(r.mentor_id, r.academic_year) }));
}

/** One mentor's packet work queues behind each other until the transaction ends. */
export async function lockMentorEvaluation(trx: Kysely<Database>, mentorId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`evaluation:${mentorId}`}))`.execute(trx);
}

export async function findPacket(
  db: Kysely<Database>,
  mentorId: string,
  academicYear: number,
): Promise<{ ratingsStatus: 'released' | 'withheld'; sealed: Buffer } | undefined> {
  const row = await db
    .selectFrom('evaluation_packets')
    .selectAll()
    .where('mentor_id', '=', mentorId)
    .where('academic_year', '=', academicYear)
    .executeTakeFirst();
  return row && { ratingsStatus: row.ratings_status, sealed: row.sealed };
}

/** The feedback rows any packet of this mentor's has spent already. */
export async function listSpentFeedbackIds(db: Kysely<Database>, mentorId: string): Promise<string[]> {
  const used = await db
    .selectFrom('evaluation_packet_responses')
    .innerJoin('evaluation_packets', 'evaluation_packets.id', 'evaluation_packet_responses.packet_id')
    .select('evaluation_packet_responses.feedback_id')
    .where('evaluation_packets.mentor_id', '=', mentorId)
    .execute();
  return used.map((u) => u.feedback_id);
}

/** Writes the mentor's packet for the year (a released packet keeps when it was first released); its id. */
export async function savePacket(
  db: Kysely<Database>,
  packet: {
    departmentId: string;
    mentorId: string;
    academicYear: number;
    ratingsStatus: 'released' | 'withheld';
    responses: number;
    coveredYears: number[];
    sealed: Buffer;
    released: boolean;
  },
): Promise<string> {
  const { ratingsStatus, responses, coveredYears, sealed } = packet;
  const row = await db
    .insertInto('evaluation_packets')
    .values({
      department_id: packet.departmentId,
      mentor_id: packet.mentorId,
      academic_year: packet.academicYear,
      ratings_status: ratingsStatus,
      responses,
      covered_years: coveredYears,
      sealed,
      released_at: packet.released ? new Date() : null,
    })
    .onConflict((oc) =>
      oc.columns(['mentor_id', 'academic_year']).doUpdateSet({
        ratings_status: ratingsStatus,
        responses,
        covered_years: coveredYears,
        sealed,
        released_at: sql`coalesce(evaluation_packets.released_at, excluded.released_at)`,
        updated_at: new Date(),
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertPacketResponses(db: Kysely<Database>, packetId: string, feedbackIds: string[]): Promise<void> {
  await db
    .insertInto('evaluation_packet_responses')
    .values(feedbackIds.map((feedback_id) => ({ feedback_id, packet_id: packetId })))
    .execute();
}

export interface PacketSummary {
  id: string;
  mentorId: string;
  mentorName: string;
  academicYear: number;
  ratingsStatus: 'released' | 'withheld';
  updatedAt: Date;
}

/** The list the committee picks from: names and statuses only, nothing sealed is opened. */
export async function listPackets(db: Kysely<Database>, departmentId: string, academicYear?: number): Promise<PacketSummary[]> {
  let q = db
    .selectFrom('evaluation_packets')
    .innerJoin('people', 'people.id', 'evaluation_packets.mentor_id')
    .select(['evaluation_packets.id', 'mentor_id', 'people.full_name', 'academic_year', 'ratings_status', 'evaluation_packets.updated_at'])
    .where('evaluation_packets.department_id', '=', departmentId);
  if (academicYear !== undefined) q = q.where('academic_year', '=', academicYear);
  const rows = await q.orderBy('academic_year', 'desc').orderBy('people.full_name').execute();
  return rows.map((r) => ({
    id: r.id,
    mentorId: r.mentor_id,
    mentorName: r.full_name,
    academicYear: r.academic_year,
    ratingsStatus: r.ratings_status,
    updatedAt: r.updated_at,
  }));
}

/** The department's packets (some ids, or one year's), sealed, newest year first then by mentor. */
export async function listSealedPacketsOf(db: Kysely<Database>, where: { departmentId: string; packetIds?: string[]; academicYear?: number }) {
  let q = db
    .selectFrom('evaluation_packets')
    .innerJoin('people', 'people.id', 'evaluation_packets.mentor_id')
    .select(['evaluation_packets.id', 'mentor_id', 'academic_year', 'sealed', 'people.full_name'])
    .where('evaluation_packets.department_id', '=', where.departmentId);
  if (where.packetIds) q = q.where('evaluation_packets.id', 'in', where.packetIds.length ? where.packetIds : ['00000000-0000-0000-0000-000000000000']);
  if (where.academicYear !== undefined) q = q.where('academic_year', '=', where.academicYear);
  const rows = await q.orderBy('academic_year', 'desc').orderBy('people.full_name').execute();
  return rows.map((r) => ({ id: r.id, mentorId: r.mentor_id, academicYear: r.academic_year, sealed: r.sealed, mentorName: r.full_name }));
}
