/** Pure logic of evaluation input: pooling across years, the threshold, suppression, N/A. */
import { describe, expect, it } from 'vitest';
import { aggregateRatings, BelowThresholdError } from '../../src/evaluation/aggregate-ratings.ts';
import { DEFAULT_FRAMEWORK } from '../../src/evaluation/default-framework.ts';
import { poolForYear } from '../../src/evaluation/rating-pool.ts';
import type { Rating } from '../../src/evaluation/rating-scale.ts';

const mentorItems = DEFAULT_FRAMEWORK.groups.flatMap((g) => g.competencies.flatMap((c) => c.mentorItems.map((i) => i.id)));
const allRated = (r: Rating) => ({ ratings: Object.fromEntries(mentorItems.map((id) => [id, r])) as Record<string, Rating> });
const response = (feedbackId: string, academicYear: number) => ({ feedbackId, academicYear });

describe('pooling mentee responses until the anonymity threshold', () => {
  it('releases nothing with 2 responses and everything with 3', () => {
    expect(poolForYear([response('a', 2026), response('b', 2026)], 2026, 3)).toEqual({ release: false });
    expect(poolForYear([response('a', 2026), response('b', 2026), response('c', 2026)], 2026, 3)).toEqual({
      release: true,
      responses: [response('a', 2026), response('b', 2026), response('c', 2026)],
      coveredYears: [2026],
    });
  });

  it('pools withheld years with later ones until the threshold is met', () => {
    // A mentor with one mentee: year one withheld, year two withheld, year three released covering all three.
    const unspent = [response('y1', 2026)];
    expect(poolForYear(unspent, 2026, 3).release).toBe(false);
    unspent.push(response('y2', 2027));
    expect(poolForYear(unspent, 2027, 3).release).toBe(false);
    unspent.push(response('y3', 2028));
    const third = poolForYear(unspent, 2028, 3);
    expect(third).toMatchObject({ release: true, coveredYears: [2026, 2027, 2028] });
  });

  it('never pools responses from later years into an earlier packet', () => {
    expect(poolForYear([response('a', 2026), response('b', 2027), response('c', 2027)], 2026, 3)).toEqual({ release: false });
  });

  it('refuses a threshold below 2', () => {
    expect(() => poolForYear([], 2026, 1)).toThrow(/threshold/);
  });
});

describe('aggregating ratings', () => {
  it('refuses to aggregate fewer responses than the threshold, even if asked', () => {
    expect(() => aggregateRatings(DEFAULT_FRAMEWORK, [allRated(7), allRated(1)], 3)).toThrow(BelowThresholdError);
  });

  it('gives means per competency, group and overall, rounded to one decimal, and nothing per item', () => {
    const agg = aggregateRatings(DEFAULT_FRAMEWORK, [allRated(7), allRated(5), allRated(4)], 3);
    expect(agg.responses).toBe(3);
    expect(agg.overallMean).toBe(5.3);
    expect(agg.groups.map((g) => g.competencies.length)).toEqual([3, 3, 3]);
    for (const g of agg.groups) {
      expect(g.mean).toBe(5.3);
      for (const c of g.competencies) expect(c).toEqual({ id: c.id, name: c.name, mean: 5.3, respondents: 3 });
    }
    // No per-item data at all: the only keys are the framework's groups and competencies.
    expect(JSON.stringify(agg)).not.toMatch(/mentor-expectations-clear/);
  });

  it('suppresses a competency that fewer than the threshold rated, so N/A cannot single out one mentee', () => {
    const na = allRated('na');
    const one = allRated('na');
    one.ratings['mentor-name-pronouns'] = 2;
    one.ratings['mentor-wellbeing'] = 2;
    const agg = aggregateRatings(DEFAULT_FRAMEWORK, [allRated(6), na, one], 3);
    const respecting = agg.groups[2]!.competencies.find((c) => c.id === 'respecting-individuals')!;
    expect(respecting).toMatchObject({ mean: null, respondents: null });
    const setting = agg.groups[0]!.competencies.find((c) => c.id === 'setting-expectations')!;
    expect(setting.mean).toBeNull();
    // Overall: only two respondents gave any number — suppressed too.
    expect(agg.overallMean).toBeNull();
  });

  it('leaves N/A out of a mean rather than counting it low', () => {
    const partial = allRated(6);
    partial.ratings['mentor-communication-skills'] = 'na';
    const agg = aggregateRatings(DEFAULT_FRAMEWORK, [partial, allRated(6), allRated(6)], 3);
    expect(agg.groups[1]!.competencies.find((c) => c.id === 'learning-growth')!.mean).toBe(6);
  });
});
