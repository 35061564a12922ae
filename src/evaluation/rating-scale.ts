/**
 * The rating scale of every competency item: 1 ("not at all") to 7 ("extremely"), as
 * validated mentoring instruments use, plus "not applicable" for what did not come up this
 * year. An N/A answer is left out of every mean; it is never read as a low score.
 */

export const RATING_MIN = 1;
export const RATING_MAX = 7;
export const NOT_APPLICABLE = 'na';

export type Rating = 1 | 2 | 3 | 4 | 5 | 6 | 7 | typeof NOT_APPLICABLE;

/** The words shown beside each point; the mid-points carry words too, so the scale reads the same to everyone. */
export const RATING_LABELS: Record<Exclude<Rating, 'na'>, string> = {
  1: 'not at all',
  2: 'slightly',
  3: 'somewhat',
  4: 'moderately',
  5: 'quite',
  6: 'very',
  7: 'extremely',
};
export const NOT_APPLICABLE_LABEL = 'not applicable';

export const RATING_CHOICES: readonly Rating[] = [1, 2, 3, 4, 5, 6, 7, NOT_APPLICABLE];

/** A form value ("1"…"7", "na") as a rating, or null when it is none of them. */
export function parseRating(value: unknown): Rating | null {
  if (value === NOT_APPLICABLE) return NOT_APPLICABLE;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^[1-7]$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= RATING_MIN && n <= RATING_MAX ? (n as Rating) : null;
}

export function ratingLabel(rating: Rating): string {
  return rating === NOT_APPLICABLE ? NOT_APPLICABLE_LABEL : `${rating} – ${RATING_LABELS[rating]}`;
}
