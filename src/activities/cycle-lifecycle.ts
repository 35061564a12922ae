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
import { newCycleRow } from '../cycles/cycle-input.ts';
import { cycleOfYear, cyclePairFacts, insertCycles } from '../stores/cycle-store.ts';

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
        const pair = await cyclePairFacts(trx, args.cycleId);
        if (pair.pairStatus !== 'active') return null;
        const academicYear = args.academicYear + 1;
        // The same workflow carries on into the year (continue-as-new), so the row keeps its id.
        await insertCycles(trx, [newCycleRow(args.pairId, academicYear, args.startsAt, pair.workflowId)]);
        const next = await cycleOfYear(trx, args.pairId, academicYear);
        return { cycleId: next.cycleId, academicYear, enrolledAt: next.enrolledAt.toISOString(), timeZone: pair.timeZone, policy: cycleTimingOf(deps.policy) };
      });
    },
  };
}
