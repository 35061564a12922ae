/** The activity behind a scheduled time away's start (time-away-start workflow). */
import { Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { beginTimeAway } from '../people/time-away.ts';

export function createTimeAwayActivities(deps: { db: Kysely<Database> }) {
  return {
    /** Pauses the person's cycles; returns how many paused (counts only). */
    async beginTimeAwayActivity(args: { timeAwayId: string }): Promise<{ paused: number; refused: number }> {
      const client = Context.current().client;
      const outcomes = await beginTimeAway({ db: deps.db, temporal: async () => client }, args.timeAwayId);
      return { paused: outcomes.filter((o) => o.ok).length, refused: outcomes.filter((o) => !o.ok).length };
    },
  };
}
