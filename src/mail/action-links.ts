/**
 * The links in Tandem's messages, each signed for one reader, one cycle and one action.
 *
 * Lifetimes (why each is as long as it is):
 * - a step's action (share, respond, schedule, outcome, goals, feedback): until the step's
 *   due date plus the last rung of its escalation ladder plus a week's grace — the link
 *   keeps working for as long as anyone may still be reminded to use it; 45 days when the
 *   message names no due date. Never less than 7 days.
 * - read-feedback: 60 days, long enough to come back to it.
 * - request-help: 180 days; a mentee may keep an old message and need it much later.
 * - calendar-feed: 400 days, a whole academic year of subscription plus slack.
 * Single use of state-changing links is enforced by the web app (token `jti`), not here.
 */
import type { Policy } from '../domain/policy.ts';
import { issueActionToken, type Action } from '../security/action-tokens.ts';
import { personalLinkUrl } from '../security/personal-links.ts';

const DAY = 86_400;

export const FIXED_LINK_LIFETIME_DAYS: Partial<Record<Action, number>> = {
  'read-feedback': 60,
  'request-help': 180,
  'calendar-feed': 400,
};
export const STEP_LINK_GRACE_DAYS = 7;
export const STEP_LINK_DEFAULT_DAYS = 45;
export const MIN_LINK_LIFETIME_DAYS = 7;

export function linkLifetimeSeconds(act: Action, options: { policy: Pick<Policy, 'ladder'>; dueAt?: string | null; now: Date }): number {
  const fixed = FIXED_LINK_LIFETIME_DAYS[act];
  if (fixed !== undefined) return fixed * DAY;
  const due = options.dueAt ? Date.parse(options.dueAt) : Number.NaN;
  if (Number.isNaN(due)) return STEP_LINK_DEFAULT_DAYS * DAY;
  const lastRungDays = Math.max(0, ...options.policy.ladder.map((r) => r.afterDays));
  const untilMs = due + (lastRungDays + STEP_LINK_GRACE_DAYS) * DAY * 1000;
  return Math.max(MIN_LINK_LIFETIME_DAYS * DAY, Math.ceil((untilMs - options.now.getTime()) / 1000));
}

export interface LinkIssuer {
  /** `${publicUrl}/a/${token}`: an action page for this person. */
  action(personId: string, act: Action, step?: string): string;
  /** `${publicUrl}/calendar/${token}.ics`: the person's private feed of check-ins. */
  calendarFeed(personId: string): string;
  /** `${publicUrl}/me/${token}`: the person's own "My mentoring" page (read-only link; see personal-links.ts). */
  myMentoring(personId: string): string;
}

export function createLinkIssuer(options: {
  secret: string;
  publicUrl: string;
  cycleId: string;
  policy: Pick<Policy, 'ladder'>;
  dueAt?: string | null;
  now?: Date;
}): LinkIssuer {
  const now = options.now ?? new Date();
  const token = (personId: string, act: Action, step?: string) =>
    issueActionToken(
      options.secret,
      { sub: personId, cyc: options.cycleId, act, ...(step ? { stp: step } : {}) },
      { ttlSeconds: linkLifetimeSeconds(act, { policy: options.policy, dueAt: options.dueAt, now }), now },
    );
  return {
    action: (personId, act, step) => `${options.publicUrl}/a/${token(personId, act, step)}`,
    calendarFeed: (personId) => `${options.publicUrl}/calendar/${token(personId, 'calendar-feed')}.ics`,
    myMentoring: (personId) => personalLinkUrl(options.publicUrl, options.secret, personId, now),
  };
}
