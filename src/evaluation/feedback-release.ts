/**
 * Where a pair's two-way feedback stands, read from the projection (cycle_events): who has
 * submitted, and whether it is released — both submitted, or the window closed.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { listStepEvents } from '../stores/cycle-store.ts';
import type { FeedbackSide } from './competency-framework.ts';

export interface FeedbackStanding {
  opened: boolean;
  submitted: FeedbackSide[];
  released: boolean;
}

export async function feedbackStanding(db: Kysely<Database>, cycleId: string): Promise<FeedbackStanding> {
  const events = await listStepEvents(db, cycleId, 'feedback');
  const submitted = [...new Set(events.filter((e) => e.kind === 'feedback-submitted').map((e) => e.detail.by as FeedbackSide))];
  return {
    opened: events.some((e) => e.kind === 'step-opened'),
    submitted,
    released: events.some((e) => e.kind === 'step-completed' || e.kind === 'step-closed'),
  };
}
