/**
 * The year's edges: producing the evaluation input when the year ends, and opening the
 * next year's cycle while the pair stays enrolled.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Policy } from '../domain/policy.ts';
import { cycleTimingOf, type CycleTiming } from '../domain/cycle-timing.ts';
import { produceEvaluationPacket } from '../evaluation/packets.ts';
import { dataKeyFrom } from '../security/data-encryption.ts';

export interface NextYear {
  cycleId: string;
  academicYear: number;
  enrolledAt: string;
  timeZone: string;
  /** The timing part only: this result and the next run's input are both in the workflow's history. */
  policy: CycleTiming;
}

export function createLifecycleActivities(deps: { db: Kysely<Database>; policy: Policy; secret: string; dataKey?: string }) {
  const key = dataKeyFrom(deps);
  return {
    /**
     * Produces (or refreshes) the evaluation packet of this pair's mentor for the year.
     * Returns only whether mentee ratings could be released — never ratings — and a count
     * only when released: the result enters the workflow history, which operators read.
     */
    async produceEvaluationInput(args: { cycleId: string; pairId: string; academicYear: number }): Promise<{ released: boolean; responses: number }> {
      const outcome = await produceEvaluationPacket({ db: deps.db, policy: deps.policy, key }, { pairId: args.pairId, academicYear: args.academicYear });
      return { released: outcome.released, responses: outcome.released ? outcome.responses : 0 };
    },

    /** The next year's cycle row, or null when the pair has ended. Idempotent. */
    async prepareNextYear(args: { cycleId: string; pairId: string; academicYear: number; startsAt: string }): Promise<NextYear | null> {
      return deps.db.transaction().execute(async (trx) => {
        const pair = await trx
          .selectFrom('pairs')
          .innerJoin('people as mentee', 'mentee.id', 'pairs.mentee_id')
          .innerJoin('cycles', 'cycles.pair_id', 'pairs.id')
          .select(['pairs.status', 'mentee.time_zone', 'cycles.workflow_id'])
          .where('cycles.id', '=', args.cycleId)
          .executeTakeFirstOrThrow();
        if (pair.status !== 'active') return null;
        const academicYear = args.academicYear + 1;
        await trx
          .insertInto('cycles')
          .values({ pair_id: args.pairId, academic_year: academicYear, workflow_id: pair.workflow_id, enrolled_at: args.startsAt })
          .onConflict((oc) => oc.columns(['pair_id', 'academic_year']).doNothing())
          .execute();
        const next = await trx
          .selectFrom('cycles')
          .select(['id', 'enrolled_at'])
          .where('pair_id', '=', args.pairId)
          .where('academic_year', '=', academicYear)
          .executeTakeFirstOrThrow();
        return { cycleId: next.id, academicYear, enrolledAt: next.enrolled_at.toISOString(), timeZone: pair.time_zone, policy: cycleTimingOf(deps.policy) };
      });
    },
  };
}
