/**
 * The year's edges: producing the evaluation input when the year ends, and opening the
 * next year's cycle while the pair stays enrolled.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Policy } from '../domain/policy.ts';

export interface NextYear {
  cycleId: string;
  academicYear: number;
  enrolledAt: string;
  timeZone: string;
  policy: Policy;
}

export function createLifecycleActivities(deps: { db: Kysely<Database>; policy: Policy }) {
  return {
    /**
     * Counts this mentor's mentees who gave feedback this academic year against the policy's
     * anonymity threshold. Returns only whether input can be released — never ratings.
     */
    async produceEvaluationInput(args: { cycleId: string; pairId: string; academicYear: number }): Promise<{ released: boolean; responses: number }> {
      const row = await deps.db
        .selectFrom('feedback')
        .innerJoin('cycles', 'cycles.id', 'feedback.cycle_id')
        .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
        .where('feedback.author_role', '=', 'mentee')
        .where('cycles.academic_year', '=', args.academicYear)
        .where('pairs.mentor_id', '=', (eb) => eb.selectFrom('pairs').select('mentor_id').where('id', '=', args.pairId))
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const responses = Number(row.n);
      return { released: responses >= deps.policy.anonymityThreshold, responses };
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
        return { cycleId: next.id, academicYear, enrolledAt: next.enrolled_at.toISOString(), timeZone: pair.time_zone, policy: deps.policy };
      });
    },
  };
}
