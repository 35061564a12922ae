/** Driving two-way feedback and the evaluation area on the real stack, for the evaluation tests. */
import type { FastifyInstance } from 'fastify';
import { parsePolicy, type Policy } from '../../src/domain/policy.ts';
import { allCompetencies } from '../../src/evaluation/competency-framework.ts';
import { DEFAULT_FRAMEWORK } from '../../src/evaluation/default-framework.ts';
import { ratingField } from '../../src/evaluation/feedback-content.ts';
import { testPolicy } from '../support/policy.ts';
import type { TestStack } from '../support/stack.ts';
import { requestLoginLink, sessionCookie } from '../web/dashboard-support.ts';
import { ORIGIN } from '../web/dashboard-support.ts';

/** A compressed year (a policy week a second) whose feedback window opens on day 1 and stays open long enough to act in. */
export function feedbackPolicy(overrides: Partial<Policy> = {}): Policy {
  const base = testPolicy({ timeCompression: 604_800 });
  return parsePolicy({ ...base, stages: { ...base.stages, feedback: { opensAtDay: 1, dueAtDay: 250 } }, ...overrides });
}

export const MENTOR_ITEM_TEXTS = allCompetencies(DEFAULT_FRAMEWORK).flatMap((c) => c.mentorItems.map((i) => i.text));

/** A complete feedback form: every item the author rates set to `rating`, plus text fields. */
export function feedbackForm(
  author: 'mentor' | 'mentee',
  rating: string,
  text: { whatHelped?: string; couldChange?: string; reflection?: string } = {},
): Record<string, string> {
  const items = allCompetencies(DEFAULT_FRAMEWORK).flatMap((c) => (author === 'mentee' ? c.mentorItems : c.menteeItems));
  return { ...Object.fromEntries(items.map((i) => [ratingField(i.id), rating])), ...(text as Record<string, string>) };
}

/** Signs a staff member in through the emailed link; returns the session cookie header. */
export async function staffCookie(web: FastifyInstance, stack: TestStack, email: string): Promise<string> {
  const path = await requestLoginLink(web, stack, email);
  const spent = await web.inject({ method: 'POST', url: path.split('?')[0]!, headers: ORIGIN, payload: {} });
  return sessionCookie(spent);
}
