/**
 * Evaluation packets: one per mentor and academic year, for the evaluation committee.
 * A packet holds the mentor's participation facts, their own reflections, and — only when
 * the anonymity threshold is met, pooling unreleased earlier years — the mentees' ratings
 * aggregated (src/evaluation/aggregate-ratings.ts). Never a mentee's free text.
 * Contents are sealed at rest; every read is audited.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { frameworkOf, type Policy } from '../domain/policy.ts';
import { MissingReasonError, recordReads, type AuditActor } from '../security/audit-log.ts';
import { open, seal, type DataKey } from '../security/data-encryption.ts';
import { aggregateRatings, type RatingsAggregate } from './aggregate-ratings.ts';
import { readFeedback } from './feedback-store.ts';
import { addCycleFacts, emptyFacts, type ParticipationFacts } from './participation-facts.ts';
import { poolForYear } from './rating-pool.ts';

export interface PacketContent {
  mentorId: string;
  academicYear: number;
  frameworkId: string;
  threshold: number;
  ratings: { status: 'released'; coveredYears: number[]; aggregate: RatingsAggregate } | { status: 'withheld' };
  facts: ParticipationFacts;
  /** The mentor's own reflections this year, one per mentee's cycle they gave feedback in. */
  reflections: string[];
  producedAt: string;
}

const SYSTEM: AuditActor = { kind: 'system', id: 'evaluation-input', role: 'system' };
export const purposeOf = (mentorId: string, year: number) => `packet:${mentorId}:${year}`;

export interface PacketOutcome {
  packetId: string;
  released: boolean;
  responses: number;
}

/**
 * (Re)produces the packet of the mentor of `pairId` for `academicYear`; called once per
 * pair as each pair's year reaches its evaluation step. Serialised per mentor by an
 * advisory lock, so a mentor's several pairs finishing together produce one packet.
 * A released packet keeps its ratings; only its facts and reflections are refreshed.
 */
export async function produceEvaluationPacket(deps: { db: Kysely<Database>; policy: Policy; key: DataKey }, args: { pairId: string; academicYear: number }): Promise<PacketOutcome> {
  const threshold = deps.policy.anonymityThreshold;
  const framework = frameworkOf(deps.policy);
  return deps.db.transaction().execute(async (trx) => {
    const pair = await trx.selectFrom('pairs').select(['mentor_id', 'department_id']).where('id', '=', args.pairId).executeTakeFirstOrThrow();
    const mentorId = pair.mentor_id;
    await sql`select pg_advisory_xact_lock(hashtext(${`evaluation:${mentorId}`}))`.execute(trx);

    const cycles = await trx
      .selectFrom('cycles')
      .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
      .select(['cycles.id', 'cycles.academic_year'])
      .where('pairs.mentor_id', '=', mentorId)
      .where('cycles.academic_year', '<=', args.academicYear)
      .execute();
    const thisYear = cycles.filter((c) => c.academic_year === args.academicYear).map((c) => c.id);
    const yearOf = new Map(cycles.map((c) => [c.id, c.academic_year]));

    const facts = emptyFacts();
    const events = await trx.selectFrom('cycle_events').select(['cycle_id', 'step', 'kind', 'occurred_at', 'detail']).where('cycle_id', 'in', thisYear.length ? thisYear : ['00000000-0000-0000-0000-000000000000']).orderBy('id').execute();
    for (const cycleId of thisYear) {
      addCycleFacts(facts, events.filter((e) => e.cycle_id === cycleId).map((e) => ({ step: e.step, kind: e.kind, occurredAt: e.occurred_at, detail: e.detail })));
    }
    const mentorFeedback = await readFeedback(trx, deps.key, { cycleIds: thisYear, role: 'mentor' }, { actor: SYSTEM, action: 'aggregate-feedback', reason: 'mentor reflection for the evaluation packet' });
    const reflections = mentorFeedback.map((f) => f.content.reflection ?? '').filter((r) => r !== '');

    const existing = await trx.selectFrom('evaluation_packets').selectAll().where('mentor_id', '=', mentorId).where('academic_year', '=', args.academicYear).executeTakeFirst();
    let ratings: PacketContent['ratings'] = { status: 'withheld' };
    let spent: string[] = [];
    if (existing?.ratings_status === 'released') {
      ratings = open<PacketContent>(deps.key, purposeOf(mentorId, args.academicYear), existing.sealed).ratings;
    } else {
      const used = await trx
        .selectFrom('evaluation_packet_responses')
        .innerJoin('evaluation_packets', 'evaluation_packets.id', 'evaluation_packet_responses.packet_id')
        .select('evaluation_packet_responses.feedback_id')
        .where('evaluation_packets.mentor_id', '=', mentorId)
        .execute();
      const unspent = (
        await readFeedback(
          trx,
          deps.key,
          { cycleIds: cycles.map((c) => c.id), role: 'mentee', excludeIds: used.map((u) => u.feedback_id) },
          { actor: SYSTEM, action: 'aggregate-feedback', reason: 'aggregate mentee ratings for the evaluation packet' },
        )
      ).map((f) => ({ feedbackId: f.id, academicYear: yearOf.get(f.cycleId)!, ratings: f.content.ratings }));
      const decision = poolForYear(unspent, args.academicYear, threshold);
      if (decision.release) {
        ratings = { status: 'released', coveredYears: decision.coveredYears, aggregate: aggregateRatings(framework, decision.responses, threshold) };
        spent = decision.responses.map((r) => r.feedbackId);
      }
    }

    const content: PacketContent = { mentorId, academicYear: args.academicYear, frameworkId: framework.id, threshold, ratings, facts, reflections, producedAt: new Date().toISOString() };
    const sealed = seal(deps.key, purposeOf(mentorId, args.academicYear), content);
    const released = ratings.status === 'released';
    const responses = ratings.status === 'released' ? ratings.aggregate.responses : 0;
    const row = await trx
      .insertInto('evaluation_packets')
      .values({
        department_id: pair.department_id,
        mentor_id: mentorId,
        academic_year: args.academicYear,
        ratings_status: ratings.status,
        responses,
        covered_years: ratings.status === 'released' ? ratings.coveredYears : [],
        sealed,
        released_at: released ? new Date() : null,
      })
      .onConflict((oc) =>
        oc.columns(['mentor_id', 'academic_year']).doUpdateSet({
          ratings_status: ratings.status,
          responses,
          covered_years: ratings.status === 'released' ? ratings.coveredYears : [],
          sealed,
          released_at: sql`coalesce(evaluation_packets.released_at, excluded.released_at)`,
          updated_at: new Date(),
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    if (spent.length > 0) {
      await trx.insertInto('evaluation_packet_responses').values(spent.map((feedback_id) => ({ feedback_id, packet_id: row.id }))).execute();
    }
    return { packetId: row.id, released, responses };
  });
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
  return rows.map((r) => ({ id: r.id, mentorId: r.mentor_id, mentorName: r.full_name, academicYear: r.academic_year, ratingsStatus: r.ratings_status, updatedAt: r.updated_at }));
}

/** Opens packets for a staff reader, writing the audit entries first. */
export async function readPackets(
  db: Kysely<Database>,
  key: DataKey,
  where: { departmentId: string; packetIds?: string[]; academicYear?: number },
  audit: { actor: AuditActor; action: 'read-packet' | 'export-packets-csv'; reason: string },
): Promise<(PacketContent & { id: string; mentorName: string })[]> {
  if (audit.reason.trim() === '') throw new MissingReasonError();
  let q = db
    .selectFrom('evaluation_packets')
    .innerJoin('people', 'people.id', 'evaluation_packets.mentor_id')
    .select(['evaluation_packets.id', 'mentor_id', 'academic_year', 'sealed', 'people.full_name'])
    .where('evaluation_packets.department_id', '=', where.departmentId);
  if (where.packetIds) q = q.where('evaluation_packets.id', 'in', where.packetIds.length ? where.packetIds : ['00000000-0000-0000-0000-000000000000']);
  if (where.academicYear !== undefined) q = q.where('academic_year', '=', where.academicYear);
  const rows = await q.orderBy('academic_year', 'desc').orderBy('people.full_name').execute();
  await recordReads(db, rows.map((r) => ({ actor: audit.actor, action: audit.action, subject: { kind: 'evaluation-packet' as const, id: r.id }, reason: audit.reason })));
  return rows.map((r) => ({ ...open<PacketContent>(key, purposeOf(r.mentor_id, r.academic_year), r.sealed), id: r.id, mentorName: r.full_name }));
}
