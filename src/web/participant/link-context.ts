/**
 * From a token in the path to who is acting on which cycle: the signature and expiry are
 * checked, then the token's person must be the mentor or the mentee of the token's cycle
 * (a valid link of one person can never act on another pair's cycle).
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../../db/schema.ts';
import type { Policy } from '../../domain/policy.ts';
import { dataKeyFrom } from '../../security/data-encryption.ts';
import { ActionTokenError, verifyActionToken, type ActionClaims } from '../../security/action-tokens.ts';
import type { ActingPerson, ActionContext } from './action-module.ts';
import { displayNameOfRow } from '../../domain/person.ts';
import { findCycleWithPair } from '../../stores/cycle-store.ts';
import { findPeopleByIds } from '../../stores/people-store.ts';

export interface LinkProblem {
  status: 400 | 403 | 404 | 410;
  title: string;
  text: string;
  /** Known when the token itself was sound: used to say which link to look for. */
  claims?: ActionClaims;
}

export interface LinkDeps {
  db: Kysely<Database>;
  policy: Policy;
  secret: string;
  /** TANDEM_DATA_KEY, when set (else the key is derived from `secret`). */
  dataKey?: string;
  temporal: () => Promise<Client>;
  mail?: { mailer: Transporter; mailFrom: string };
}

const ACTION_WORDS: Partial<Record<ActionClaims['act'], string>> = {
  'share-expectations': 'share your expectations',
  'respond-expectations': 'respond to the expectations',
  'schedule-check-in': 'schedule a check-in',
  'check-in-outcome': 'say whether you met',
  'update-goals': 'update your goals',
  'review-goals': 'review the goals',
  'give-feedback': 'give feedback',
  'read-feedback': 'read the feedback',
  'request-help': 'ask for help',
};

const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function verifyLink(secret: string, token: string, now: Date): ActionClaims | LinkProblem {
  if (!TOKEN_SHAPE.test(token))
    return {
      status: 400,
      title: 'This link is incomplete',
      text: 'The link seems to have been cut short or changed when it was copied. Open it again from the email, or copy the whole address.',
    };
  try {
    const claims = verifyActionToken(secret, token, now);
    if (!UUID.test(claims.sub) || !UUID.test(claims.cyc))
      return { status: 403, title: 'This link is not for this page', text: 'This link does not belong to a mentoring pair.' };
    return claims;
  } catch (error) {
    if (!(error instanceof ActionTokenError)) throw error;
    if (error.problem === 'expired') {
      // The signature was checked before the expiry, so what the link was for can be said.
      const claims = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as ActionClaims;
      const what = ACTION_WORDS[claims.act];
      return {
        status: 410,
        title: 'This link has expired',
        text: `${what ? `This link to ${what} expired on ${new Date(claims.exp * 1000).toISOString().slice(0, 10)}. ` : ''}Links in our emails work for a limited time, so an old message cannot be used by someone else later.`,
      };
    }
    if (error.problem === 'forged')
      return { status: 403, title: 'This link is not valid', text: 'This link was not issued by the mentoring program, or it was changed after it was sent.' };
    return {
      status: 400,
      title: 'This link is incomplete',
      text: 'The link seems to have been cut short or changed when it was copied. Open it again from the email, or copy the whole address.',
    };
  }
}

export async function loadActionContext(deps: LinkDeps, claims: ActionClaims, now: Date): Promise<ActionContext | LinkProblem> {
  const row = await findCycleWithPair(deps.db, claims.cyc);
  const role = row?.mentorId === claims.sub ? 'mentor' : row?.menteeId === claims.sub ? 'mentee' : null;
  if (!row || !role)
    return { status: 403, title: 'This link is not for this mentoring pair', text: 'The link does not match a mentoring pair you belong to.', claims };
  const people = await findPeopleByIds(deps.db, [row.mentorId, row.menteeId]);
  const acting = (id: string, r: 'mentor' | 'mentee'): ActingPerson => {
    const p = people.find((x) => x.id === id)!;
    return { id, role: r, name: displayNameOfRow(p), fullName: p.full_name, email: p.email, pronouns: p.pronouns, timeZone: p.time_zone };
  };
  const partnerRole = role === 'mentor' ? 'mentee' : 'mentor';
  return {
    claims,
    formAction: '',
    person: acting(claims.sub, role),
    partner: acting(role === 'mentor' ? row.menteeId : row.mentorId, partnerRole),
    cycle: { id: row.id, workflowId: row.workflowId, academicYear: row.academicYear, status: row.status, pairId: row.pairId },
    db: deps.db,
    policy: deps.policy,
    secret: deps.secret,
    temporal: deps.temporal,
    ...(deps.mail ? { mail: deps.mail } : {}),
    dataKey: dataKeyFrom(deps),
    coordinators: deps.policy.department.coordinators.map((c) => ({ name: c.name, email: c.email })),
    now,
  };
}

export function isLinkProblem(value: unknown): value is LinkProblem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}
