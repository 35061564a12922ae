/**
 * Evaluation packets: one per mentor and academic year, for the evaluation committee.
 * A packet holds the mentor's participation facts, their own reflections, and — only when
 * the anonymity threshold is met, pooling unreleased earlier years — the mentees' ratings
 * aggregated (src/evaluation/aggregate-ratings.ts). Never a mentee's free text.
 * Contents are sealed at rest; every read is audited.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { frameworkOf, type Policy } from '../domain/policy.ts';
import { MissingReasonError, recordReads, type AuditActor } from '../security/audit-log.ts';
import { open, seal, type DataKey } from '../security/data-encryption.ts';
import { aggregateRatings, type RatingsAggregate } from './aggregate-ratings.ts';
import { listEventsOfCycles, listMentorCyclesUpTo } from '../stores/cycle-store.ts';
import { readFeedback } from '../stores/participant-content-store.ts';
import { findPairMentor } from '../stores/people-store.ts';
import {
  findPacket,
  insertPacketResponses,
  listSealedPacketsOf,
  listSpentFeedbackIds,
  lockMentorEvaluation,
  packetPurpose,
  savePacket,
} from '../stores/report-store.ts';
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
export { listPackets, type PacketSummary } from '../stores/report-store.ts';

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
export async function produceEvaluationPacket(
  deps: { db: Kysely<Database>; policy: Policy; key: DataKey },
  args: { pairId: string; academicYear: number },
): Promise<PacketOutcome> {
  const threshold = deps.policy.anonymityThreshold;
  const framework = frameworkOf(deps.policy);
  return deps.db.transaction().execute(async (trx) => {
    const pair = await findPairMentor(trx, args.pairId);
    const mentorId = pair.mentorId;
    await lockMentorEvaluation(trx, mentorId);

    const cycles = await listMentorCyclesUpTo(trx, mentorId, args.academicYear);
    const thisYear = cycles.filter((c) => c.academicYear === args.academicYear).map((c) => c.id);
    const yearOf = new Map(cycles.map((c) => [c.id, c.academicYear]));

    const facts = emptyFacts();
    const events = await listEventsOfCycles(trx, thisYear);
    for (const cycleId of thisYear) {
      addCycleFacts(
        facts,
        events.filter((e) => e.cycleId === cycleId).map(({ cycleId: _cycle, ...event }) => event),
      );
    }
    const mentorFeedback = await readFeedback(
      trx,
      deps.key,
      { cycleIds: thisYear, role: 'mentor' },
      { actor: SYSTEM, action: 'aggregate-feedback', reason: 'mentor reflection for the evaluation packet' },
    );
    const reflections = mentorFeedback.map((f) => f.content.reflection ?? '').filter((r) => r !== '');

    const existing = await findPacket(trx, mentorId, args.academicYear);
    let ratings: PacketContent['ratings'] = { status: 'withheld' };
    let spent: string[] = [];
    if (existing?.ratingsStatus === 'released') {
      ratings = open<PacketContent>(deps.key, packetPurpose(mentorId, args.academicYear), existing.sealed).ratings;
    } else {
      const spentBefore = await listSpentFeedbackIds(trx, mentorId);
      const unspent = (
        await readFeedback(
          trx,
          deps.key,
          { cycleIds: cycles.map((c) => c.id), role: 'mentee', excludeIds: spentBefore },
          { actor: SYSTEM, action: 'aggregate-feedback', reason: 'aggregate mentee ratings for the evaluation packet' },
        )
      ).map((f) => ({ feedbackId: f.id, academicYear: yearOf.get(f.cycleId)!, ratings: f.content.ratings }));
      const decision = poolForYear(unspent, args.academicYear, threshold);
      if (decision.release) {
        ratings = { status: 'released', coveredYears: decision.coveredYears, aggregate: aggregateRatings(framework, decision.responses, threshold) };
        spent = decision.responses.map((r) => r.feedbackId);
      }
    }

    const content: PacketContent = {
      mentorId,
      academicYear: args.academicYear,
      frameworkId: framework.id,
      threshold,
      ratings,
      facts,
      reflections,
      producedAt: new Date().toISOString(),
    };
    const sealed = seal(deps.key, packetPurpose(mentorId, args.academicYear), content);
    const released = ratings.status === 'released';
    const responses = ratings.status === 'released' ? ratings.aggregate.responses : 0;
    const packetId = await savePacket(trx, {
      departmentId: pair.departmentId,
      mentorId,
      academicYear: args.academicYear,
      ratingsStatus: ratings.status,
      responses,
      coveredYears: ratings.status === 'released' ? ratings.coveredYears : [],
      sealed,
      released,
    });
    if (spent.length > 0) await insertPacketResponses(trx, packetId, spent);
    return { packetId, released, responses };
  });
}

/** Opens packets for a staff reader, writing the audit entries first. */
export async function readPackets(
  db: Kysely<Database>,
  key: DataKey,
  where: { departmentId: string; packetIds?: string[]; academicYear?: number },
  audit: { actor: AuditActor; action: 'read-packet' | 'export-packets-csv'; reason: string },
): Promise<(PacketContent & { id: string; mentorName: string })[]> {
  if (audit.reason.trim() === '') throw new MissingReasonError();
  const rows = await listSealedPacketsOf(db, where);
  await recordReads(
    db,
    rows.map((r) => ({ actor: audit.actor, action: audit.action, subject: { kind: 'evaluation-packet' as const, id: r.id }, reason: audit.reason })),
  );
  return rows.map((r) => ({ ...open<PacketContent>(key, packetPurpose(r.mentorId, r.academicYear), r.sealed), id: r.id, mentorName: r.mentorName }));
}
