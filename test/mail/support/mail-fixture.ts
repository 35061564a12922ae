/**
 * What the mail tests share: the real Postgres of the run, a real SMTP sink, a pooled
 * transport to it, the activities built over them, and pairs created directly in the
 * tables (the workflow is not needed to exercise the activities).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import { inject } from 'vitest';
import { createDb } from '../../../db/connection.ts';
import type { Database } from '../../../db/schema.ts';
import { createActivities, type ActivityDeps } from '../../../src/activities/index.ts';
import type { Policy } from '../../../src/domain/policy.ts';
import { MailCatcher } from '../../../src/mail/catcher.ts';
import { createMailTransport } from '../../../src/mail/transport.ts';
import { TEST_SECRET, testPolicy } from '../../support/stack.ts';

export const MAIL_FROM = 'Biology Mentoring <mentoring@biology.example.edu>';
export const PUBLIC_URL = 'http://tandem.test';

export interface MailFixture {
  db: Kysely<Database>;
  mail: MailCatcher;
  mailer: Transporter;
  policy: Policy;
  deps: ActivityDeps;
  activities: ReturnType<typeof createActivities>;
  close(): Promise<void>;
}

export async function startMailFixture(options: { policy?: Policy } = {}): Promise<MailFixture> {
  const db = createDb(inject('databaseUrl'), 5);
  const mail = new MailCatcher();
  await mail.listen();
  const mailer = createMailTransport(mail.smtpUrl, { maxConnections: 2 });
  const policy = options.policy ?? testPolicy();
  const deps: ActivityDeps = { db, mailer, policy, mailFrom: MAIL_FROM, publicUrl: PUBLIC_URL, secret: TEST_SECRET };
  return {
    db,
    mail,
    mailer,
    policy,
    deps,
    activities: createActivities(deps),
    async close() {
      mailer.close();
      await mail.close();
      await db.destroy();
    },
  };
}

export interface PersonSpec {
  fullName: string;
  preferredName?: string | null;
  pronouns?: string | null;
  timeZone?: string;
}

export interface TestPair {
  cycleId: string;
  pairId: string;
  mentorId: string;
  menteeId: string;
  mentorEmail: string;
  menteeEmail: string;
}

/** A pair and its cycle, written straight into the tables with fresh addresses. */
export async function createPair(db: Kysely<Database>, policy: Policy, spec: { mentor?: PersonSpec; mentee?: PersonSpec } = {}): Promise<TestPair> {
  const tag = randomUUID().slice(0, 8);
  const mentor: PersonSpec = spec.mentor ?? { fullName: 'Ada Lovelace', pronouns: 'she/her' };
  const mentee: PersonSpec = spec.mentee ?? { fullName: 'Grace Brewster Hopper', preferredName: 'Grace', pronouns: 'she/her' };
  await db
    .insertInto('departments')
    .values({ id: policy.department.id, name: policy.department.name })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const person = async (p: PersonSpec, who: string) =>
    (
      await db
        .insertInto('people')
        .values({
          department_id: policy.department.id,
          email: `${who}.${tag}@example.edu`,
          full_name: p.fullName,
          preferred_name: p.preferredName ?? null,
          pronouns: p.pronouns ?? null,
          time_zone: p.timeZone ?? 'America/New_York',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const mentorId = await person(mentor, 'mentor');
  const menteeId = await person(mentee, 'mentee');
  const pair = await db
    .insertInto('pairs')
    .values({ department_id: policy.department.id, mentor_id: mentorId, mentee_id: menteeId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const cycle = await db
    .insertInto('cycles')
    .values({ pair_id: pair.id, academic_year: 2026, workflow_id: `mentoring-cycle-${pair.id}-2026`, enrolled_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { cycleId: cycle.id, pairId: pair.id, mentorId, menteeId, mentorEmail: `mentor.${tag}@example.edu`, menteeEmail: `mentee.${tag}@example.edu` };
}

/** The header block of a raw message, unfolded: one entry per header line as received. */
export function rawHeaders(raw: Buffer): string[] {
  const text = raw.toString('utf8');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  return head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
}

/** An outbox entry for one message to the pair's mentee: a nudge about expectations. */
export function menteeNudge(pair: TestPair) {
  return {
    cycleId: pair.cycleId,
    step: 'expectations',
    kind: 'nudge',
    sequence: 0,
    recipient: { personId: pair.menteeId, email: pair.menteeEmail, name: 'Grace', role: 'mentee' },
  };
}
