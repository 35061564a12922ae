/**
 * The behaviours a cycle run has, chosen once at its start and kept for its whole life (replay
 * must make the same choice). Each was added behind its own `patched()`; a run started since all
 * of them existed records one marker for them all. That is not only tidier: every patch marker
 * also upserts Temporal's TemporalChangeVersion search attribute, so each one cost a run two
 * history events and a visibility write, at every enrollment and every new year.
 *
 * A behaviour added later gets its own patch after ALL_OF_2026_12 (and joins a new combined
 * patch once every running cycle has it). Runs recorded before the combined patch ask the single
 * ones, in the order they always did: a combined patch that is absent on replay records nothing.
 */
import { patched } from '@temporalio/workflow';

export interface RunBehaviours {
  /** A pair enrolled after the year began gets a plan for the rest of the year (plan.ts joinLate). */
  joinLate: boolean;
  /** Mail and invites go out after the projection an Update waits for, in their own activity. */
  deliverAfterProjection: boolean;
  /** The year ends after a pass that ran at or past its end, judged by that pass's own instant. */
  yearEndCatchUp: boolean;
  /** Check-in windows open a little after the planned instant, fixed by the cycle id. */
  windowJitter: boolean;
  /** The training-goal re-visit opens with its check-in, jitter included. */
  windowJitterTrainingGoals: boolean;
}

const ALL_OF_2026_12 = 'cycle-behaviours-2026-12';

/** `joinedLate`: the run's input carries a joinedAt (only such runs ever asked about join-late). */
export function runBehaviours(options: { joinedLate: boolean }): RunBehaviours {
  if (patched(ALL_OF_2026_12)) {
    return { joinLate: options.joinedLate, deliverAfterProjection: true, yearEndCatchUp: true, windowJitter: true, windowJitterTrainingGoals: true };
  }
  const joinLate = options.joinedLate && patched('join-late');
  const deliverAfterProjection = patched('deliver-after-projection');
  const yearEndCatchUp = patched('year-end-catch-up');
  const windowJitter = patched('window-jitter');
  const windowJitterTrainingGoals = windowJitter && patched('window-jitter-training-goals');
  return { joinLate, deliverAfterProjection, yearEndCatchUp, windowJitter, windowJitterTrainingGoals };
}
