/**
 * The behaviours a cycle run has, chosen once at its start and kept for its whole life (replay
 * must make the same choice). Each was added behind its own `patched()`; a run started since all
 * of them existed records one marker for them all. That is not only tidier: every patch marker
 * also upserts Temporal's TemporalChangeVersion search attribute, so each one cost a run two
 * history events and a visibility write, at every enrollment and every new year.
 *
 * A run started since the input could name its set (`behaviourSet`, CURRENT_BEHAVIOUR_SET)
 * asks nothing and records no marker. A behaviour added later comes with a new set: runs of an
 * older set keep what they had until their next year, which continues on the current set (a
 * behaviour that running cycles must take up at once would need its own patch instead). Runs
 * recorded before the combined patch ask the single ones, in the order they always did: a
 * combined patch that is absent on replay records nothing.
 */
import { patched } from '@temporalio/workflow';
import type { BehaviourSet } from './definitions.ts';

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
  /**
   * A pass that no Update waits on, with no delivery under way, sends its own mail in its
   * projection's local activity (set 2026-12-02): no delivery activity, no workflow task after it.
   */
  deliverInPass: boolean;
}

const ALL_OF_2026_12 = 'cycle-behaviours-2026-12';

/**
 * `joinedLate`: the run's input carries a joinedAt (only such runs ever asked about join-late).
 * `behaviourSet`: the set the input names. A run started with one has it without asking, and
 * records no marker at all: its input is its first event, so replay makes the same choice.
 */
export function runBehaviours(options: { joinedLate: boolean; behaviourSet?: BehaviourSet }): RunBehaviours {
  const allOf2026_12 = {
    joinLate: options.joinedLate,
    deliverAfterProjection: true,
    yearEndCatchUp: true,
    windowJitter: true,
    windowJitterTrainingGoals: true,
  };
  if (options.behaviourSet === '2026-12-02') return { ...allOf2026_12, deliverInPass: true };
  if (options.behaviourSet === '2026-12' || patched(ALL_OF_2026_12)) return { ...allOf2026_12, deliverInPass: false };
  const joinLate = options.joinedLate && patched('join-late');
  const deliverAfterProjection = patched('deliver-after-projection');
  const yearEndCatchUp = patched('year-end-catch-up');
  const windowJitter = patched('window-jitter');
  const windowJitterTrainingGoals = windowJitter && patched('window-jitter-training-goals');
  return { joinLate, deliverAfterProjection, yearEndCatchUp, windowJitter, windowJitterTrainingGoals, deliverInPass: false };
}
