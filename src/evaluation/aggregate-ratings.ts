/**
 * Mentee ratings of one mentor, summarised so that no one mentee's answers can be read back.
 * Pure.
 *
 * - Only means are released, per competency and per group, rounded to one decimal: no
 *   per-item distributions, minimums or maximums, which with few respondents name people.
 * - Each respondent first gets one score per competency (the mean of the items they did
 *   not mark "not applicable"); a competency's mean is taken over respondents, and shown
 *   only when at least `threshold` respondents rated it. Otherwise it is suppressed, so
 *   three responses where two chose "not applicable" do not expose the third.
 * - Fewer than `threshold` responses in all: nothing is computed (the caller withholds).
 */
import type { CompetencyFramework } from './competency-framework.ts';
import { NOT_APPLICABLE, type Rating } from './rating-scale.ts';

export interface RatedResponse {
  ratings: Record<string, Rating>;
}

export interface CompetencySummary {
  id: string;
  name: string;
  /** Null when suppressed. */
  mean: number | null;
  /** Respondents who rated it; null when suppressed (the count would tell who skipped it). */
  respondents: number | null;
}

export interface GroupSummary {
  id: string;
  name: string;
  mean: number | null;
  competencies: CompetencySummary[];
}

export interface RatingsAggregate {
  responses: number;
  overallMean: number | null;
  groups: GroupSummary[];
}

export class BelowThresholdError extends Error {
  constructor(responses: number, threshold: number) {
    super(`refusing to aggregate ${responses} responses: the anonymity threshold is ${threshold}`);
    this.name = 'BelowThresholdError';
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One respondent's score over some items: the mean of their numeric answers, or null if all were N/A. */
function scoreOf(response: RatedResponse, itemIds: string[]): number | null {
  const answers = itemIds.map((id) => response.ratings[id]).filter((r): r is Exclude<Rating, 'na'> => r !== undefined && r !== NOT_APPLICABLE);
  return answers.length === 0 ? null : mean(answers);
}

/** A mean over respondents, shown only when enough of them answered. */
function guardedMean(scores: (number | null)[], threshold: number): { mean: number | null; respondents: number | null } {
  const given = scores.filter((s): s is number => s !== null);
  return given.length < threshold ? { mean: null, respondents: null } : { mean: round1(mean(given)), respondents: given.length };
}

export function aggregateRatings(framework: CompetencyFramework, responses: readonly RatedResponse[], threshold: number): RatingsAggregate {
  if (responses.length < threshold) throw new BelowThresholdError(responses.length, threshold);
  const groups = framework.groups.map((group) => {
    const competencies = group.competencies.map((c) => {
      const ids = c.mentorItems.map((i) => i.id);
      return {
        id: c.id,
        name: c.name,
        ...guardedMean(
          responses.map((r) => scoreOf(r, ids)),
          threshold,
        ),
      };
    });
    const groupIds = group.competencies.flatMap((c) => c.mentorItems.map((i) => i.id));
    return {
      id: group.id,
      name: group.name,
      mean: guardedMean(
        responses.map((r) => scoreOf(r, groupIds)),
        threshold,
      ).mean,
      competencies,
    };
  });
  const allIds = framework.groups.flatMap((g) => g.competencies.flatMap((c) => c.mentorItems.map((i) => i.id)));
  return {
    responses: responses.length,
    overallMean: guardedMean(
      responses.map((r) => scoreOf(r, allIds)),
      threshold,
    ).mean,
    groups,
  };
}
