/**
 * Who a cycle's messages are for, read fresh at send time: a name or pronoun change
 * applies to every later message, a retried one included.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Policy } from '../domain/policy.ts';
import { findPairPeopleOfCycle } from '../stores/people-store.ts';
import { headerSafeText } from '../mail/header-safety.ts';
import type { Person } from '../mail/templates/common.ts';
import type { Audience } from './types.ts';
import { displayName } from '../domain/person.ts';

export interface PairContext {
  mentor: Person;
  mentee: Person;
}

/** Names are one line wherever they appear: headers, bodies, calendar entries. */
const oneLine = (value: string) => headerSafeText(value, 200);

export async function loadPairContext(db: Kysely<Database>, cycleId: string): Promise<PairContext> {
  const row = await findPairPeopleOfCycle(db, cycleId);
  if (!row) throw new CycleNotFoundError(cycleId);
  return {
    mentor: {
      personId: row.mentorId,
      email: row.mentorEmail,
      name: oneLine(displayName({ fullName: row.mentorFullName, preferredName: row.mentorPreferredName })),
      pronouns: row.mentorPronouns ? oneLine(row.mentorPronouns) : null,
      role: 'mentor',
      timeZone: row.mentorTimeZone,
    },
    mentee: {
      personId: row.menteeId,
      email: row.menteeEmail,
      name: oneLine(displayName({ fullName: row.menteeFullName, preferredName: row.menteePreferredName })),
      pronouns: row.menteePronouns ? oneLine(row.menteePronouns) : null,
      role: 'mentee',
      timeZone: row.menteeTimeZone,
    },
  };
}

export class CycleNotFoundError extends Error {
  constructor(cycleId: string) {
    super(`cycle ${cycleId} not found`);
    this.name = 'CycleNotFoundError';
  }
}

/**
 * The readers an audience names; the same address twice gets one copy. `coordinators` are the
 * staff coordinators read for this send (coordinator-recipients.ts); the policy's addresses when not given.
 */
export function recipientsFor(audiences: Audience[], pair: PairContext, policy: Policy, coordinators?: Person[]): Person[] {
  const zone = policy.defaultTimeZone;
  const all = audiences.flatMap((audience): Person[] => {
    switch (audience) {
      case 'mentor':
        return [pair.mentor];
      case 'mentee':
        return [pair.mentee];
      case 'coordinators':
        return (
          coordinators ??
          policy.department.coordinators.map((c) => ({ personId: null, email: c.email, name: c.name, pronouns: null, role: 'coordinator', timeZone: zone }))
        );
      case 'referral-resource': {
        const r = policy.resources.find((x) => x.id === policy.referralResourceId)!;
        return [{ personId: null, email: r.email, name: r.name, pronouns: null, role: 'resource', timeZone: zone }];
      }
    }
  });
  const seen = new Set<string>();
  return all.filter((p) => {
    const k = p.email.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
