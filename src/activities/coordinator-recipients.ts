/**
 * Who gets the department's coordinator notices ("Stalled: …", enrollment open, evaluation
 * input ready): the staff who hold the coordinator role, read at send time, so a coordinator
 * added or removed on the staff page gets (or stops getting) the next notice. Only when the
 * department has no staff coordinator at all do they go to the policy file's
 * `department.coordinators` addresses, so a fresh deployment still hears of a stall.
 *
 * Each coordinator chooses delivery: `immediate` get the message now; `digest` get it in
 * their daily digest instead (the digest core, src/mail/digest.ts; composed by digest-coordinator.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Policy } from '../domain/policy.ts';
import type { Person } from '../mail/templates/common.ts';
import { holdForDigest, type DigestItem } from '../mail/digest.ts';
import { STAFF_RECIPIENT } from '../mail/digest-coordinator.ts';
import { listDepartmentCoordinators } from '../stores/staff-store.ts';
import { scheduleDigestDelivery } from './digests.ts';

export interface CoordinatorRecipients {
  immediate: Person[];
  /** Coordinators who chose the daily digest: the notice is queued for them instead. */
  digest: (Person & { staffId: string })[];
  /** Whether the list came from the policy file (no staff coordinator exists). */
  fallback: boolean;
}

export async function coordinatorRecipients(db: Kysely<Database>, policy: Pick<Policy, 'department' | 'defaultTimeZone'>): Promise<CoordinatorRecipients> {
  const zone = policy.defaultTimeZone;
  const staff = await listDepartmentCoordinators(db, policy.department.id);
  const person = (email: string, name: string): Person => ({ personId: null, email, name, pronouns: null, role: 'coordinator', timeZone: zone });
  if (staff.length === 0) {
    return { immediate: policy.department.coordinators.map((c) => person(c.email, c.name)), digest: [], fallback: true };
  }
  return {
    immediate: staff.filter((s) => s.noticeDelivery === 'immediate').map((s) => person(s.email, s.name)),
    digest: staff.filter((s) => s.noticeDelivery === 'digest').map((s) => ({ ...person(s.email, s.name), staffId: s.id })),
    fallback: false,
  };
}

/**
 * Holds a notice for a coordinator's daily digest and makes sure its delivery is scheduled
 * (one durable timer per period). Runs inside an activity.
 */
export async function holdCoordinatorNotice(
  deps: { db: Kysely<Database>; policy: Pick<Policy, 'defaultTimeZone' | 'timeCompression'> },
  staffId: string,
  item: DigestItem,
): Promise<void> {
  const held = await holdForDigest(deps.db, {
    recipient: { kind: STAFF_RECIPIENT, id: staffId },
    frequency: 'daily',
    clock: { timeZone: deps.policy.defaultTimeZone, timeCompression: deps.policy.timeCompression },
    item,
    now: new Date(),
  });
  await scheduleDigestDelivery(held.period);
}
