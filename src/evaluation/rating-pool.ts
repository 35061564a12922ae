/**
 * Which of a mentor's mentee responses may be released, and when. Pure.
 *
 * A packet for academic year Y uses every response of Y and earlier that no released packet
 * has used yet. With at least `threshold` of them it is released and those responses are
 * spent; below it the year's ratings are withheld and its responses wait, pooled with the
 * next year's. A released packet is never recomputed, so no two versions of it can be
 * compared to isolate the response that arrived in between.
 */

export interface PooledResponse {
  feedbackId: string;
  academicYear: number;
}

export type PoolDecision<R extends PooledResponse> = { release: true; responses: R[]; coveredYears: number[] } | { release: false };

export function poolForYear<R extends PooledResponse>(unspent: readonly R[], academicYear: number, threshold: number): PoolDecision<R> {
  if (!Number.isInteger(threshold) || threshold < 2) throw new Error(`anonymity threshold must be a whole number ≥ 2 (got ${threshold})`);
  const pool = unspent.filter((r) => r.academicYear <= academicYear);
  if (pool.length < threshold) return { release: false };
  const coveredYears = [...new Set(pool.map((r) => r.academicYear))].sort((a, b) => a - b);
  return { release: true, responses: pool, coveredYears };
}
