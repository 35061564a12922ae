/**
 * What a participant's feedback holds, and turning the submitted form into it. Pure.
 *
 * A mentee's feedback: ratings of the mentor's items (confidential: they reach the
 * department only aggregated across mentees, never the mentor one by one) and free text
 * for the mentor (formative: the mentor reads it once released).
 * A mentor's feedback: ratings of the mentee's items and free text (formative: the mentee
 * reads both once released), and a reflection on their own mentoring that goes into their
 * evaluation packet and is not shown to the mentee.
 */
import { itemsRatedBy, type CompetencyFramework, type FeedbackSide } from './competency-framework.ts';
import { parseRating, type Rating } from './rating-scale.ts';

export interface FeedbackContent {
  frameworkId: string;
  /** By item id; every item the author rates has an answer (possibly "na"). */
  ratings: Record<string, Rating>;
  /** What helped this year (the guidelines ask mentees to tell mentors when mentoring helped). */
  whatHelped: string;
  /** What could change next year. */
  couldChange: string;
  /** Mentor only: own reflection for the evaluation packet. */
  reflection?: string;
}

export const TEXT_LIMIT = 5_000;

export interface FieldProblem {
  field: string;
  reason: string;
}

export type ParsedFeedback = { ok: true; content: FeedbackContent } | { ok: false; problems: FieldProblem[] };

/** Form field name of an item's rating. */
export function ratingField(itemId: string): string {
  return `rating.${itemId}`;
}

/**
 * Reads a submitted form: every item must be answered (a rating or "not applicable"); the
 * text fields are optional but bounded. Problems name the field, so the page can show them
 * beside what the person typed.
 */
export function parseFeedbackForm(framework: CompetencyFramework, author: FeedbackSide, form: Record<string, unknown>): ParsedFeedback {
  const problems: FieldProblem[] = [];
  const ratings: Record<string, Rating> = {};
  for (const { items } of itemsRatedBy(framework, author)) {
    for (const item of items) {
      const rating = parseRating(form[ratingField(item.id)]);
      if (rating === null) problems.push({ field: ratingField(item.id), reason: 'choose a rating from 1 to 7, or "not applicable"' });
      else ratings[item.id] = rating;
    }
  }
  const text = (field: string): string => {
    const value = form[field];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') {
      problems.push({ field, reason: 'must be text' });
      return '';
    }
    const trimmed = value.replace(/\r\n/g, '\n').trim();
    if (trimmed.length > TEXT_LIMIT) problems.push({ field, reason: `must be at most ${TEXT_LIMIT} characters (got ${trimmed.length})` });
    return trimmed;
  };
  const content: FeedbackContent = { frameworkId: framework.id, ratings, whatHelped: text('whatHelped'), couldChange: text('couldChange') };
  if (author === 'mentor') content.reflection = text('reflection');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, content };
}

/** What the other participant may read once feedback is released: never a mentee's ratings, never the mentor's reflection. */
export function formativePart(
  author: FeedbackSide,
  content: FeedbackContent,
): { ratings: Record<string, Rating> | null; whatHelped: string; couldChange: string } {
  return { ratings: author === 'mentor' ? content.ratings : null, whatHelped: content.whatHelped, couldChange: content.couldChange };
}
