/**
 * Driving the coordinator's pages in route tests: the real web server over the test stack's
 * Postgres and Temporal, sign-in links read from the stack's SMTP sink.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config/env.ts';
import { buildWebServer } from '../../src/web/server.ts';
import { upsertStaff } from '../../src/staff/accounts.ts';
import type { StaffRole } from '../../db/schema.ts';
import { createMailTransport } from '../../src/mail/transport.ts';
import { TEST_SECRET, type TestStack } from '../support/stack.ts';

export const PUBLIC_URL = 'http://tandem.test';
export const ORIGIN = { origin: PUBLIC_URL };

/** The web app over the stack; `db` replaces the stack's database (a test of what a broken one looks like). */
export async function buildTestWeb(stack: TestStack, { db = stack.db }: { db?: TestStack['db'] } = {}): Promise<FastifyInstance> {
  const config = loadConfig({
    PUBLIC_URL,
    TANDEM_SECRET: TEST_SECRET,
    SMTP_URL: stack.mail.smtpUrl,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    LOG_LEVEL: 'silent',
  });
  const mailer = createMailTransport(stack.mail.smtpUrl);
  const web = await buildWebServer({ db, policy: stack.policy, config, mailer, temporal: async () => stack.client });
  web.addHook('onClose', async () => mailer.close());
  return web;
}

export async function makeStaff(stack: TestStack, roles: StaffRole[] = ['coordinator'], name = 'Casey Coordinator'): Promise<{ id: string; email: string }> {
  await stack.db
    .insertInto('departments')
    .values({ id: stack.policy.department.id, name: stack.policy.department.name })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const email = `staff.${randomUUID().slice(0, 8)}@example.edu`;
  const staff = await upsertStaff(stack.db, { departmentId: stack.policy.department.id, email, name, roles });
  return { id: staff.id, email };
}

/** Asks for a link and returns the one the SMTP sink received for this address. */
export async function requestLoginLink(web: FastifyInstance, stack: TestStack, email: string): Promise<string> {
  const before = stack.mail.to(email).length;
  const response = await web.inject({ method: 'POST', url: '/login', headers: ORIGIN, payload: { email } });
  if (response.statusCode !== 200) throw new Error(`POST /login answered ${response.statusCode}: ${response.body}`);
  // A staff coordinator also receives the department's notices, which may arrive meanwhile:
  // the sign-in link is in whichever new message carries one.
  const linkIn = (m: { parsed: { text?: string } }) => /http:\/\/tandem\.test(\/login\/[^\s]+)/.exec(m.parsed.text ?? '')?.[1];
  const newLink = () =>
    stack.mail
      .to(email)
      .slice(before)
      .map(linkIn)
      .find((l) => l !== undefined);
  await stack.mail.waitFor(() => newLink() !== undefined);
  return newLink()!;
}

export function sessionCookie(response: LightMyRequestResponse): string {
  const header = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((c) => c.startsWith('tandem_staff='));
  if (!header) throw new Error(`no session cookie set (status ${response.statusCode})`);
  return header.split(';')[0]!;
}

/** Signs in through the emailed link; returns the cookie header and the CSRF token of the session. */
export async function signIn(web: FastifyInstance, stack: TestStack, email: string): Promise<{ cookie: string; csrf: string }> {
  const path = await requestLoginLink(web, stack, email);
  const confirm = await web.inject({ method: 'GET', url: path });
  if (confirm.statusCode !== 200) throw new Error(`GET ${path} answered ${confirm.statusCode}`);
  const spent = await web.inject({ method: 'POST', url: path.split('?')[0]!, headers: ORIGIN, payload: {} });
  const cookie = sessionCookie(spent);
  const dashboard = await web.inject({ method: 'GET', url: '/dashboard', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(dashboard.body)?.[1];
  if (!csrf) throw new Error(`no CSRF token on the dashboard (status ${dashboard.statusCode})`);
  return { cookie, csrf };
}

export interface SeedCycle {
  mentorName?: string;
  menteeName?: string;
  mentorEmail?: string;
  program?: string;
  status?: 'running' | 'paused' | 'stalled' | 'completed' | 'ended';
  step?: string | null;
  dueAt?: Date;
  stalledSince?: Date | null;
  owedBy?: string | null;
  rung?: number | null;
  deliveryProblem?: string | null;
  menteeUndeliverable?: boolean;
}

/** Writes projection rows directly (no workflow): for pages that only read Postgres. */
export async function seedCycle(stack: TestStack, seed: SeedCycle = {}): Promise<{ cycleId: string; pairId: string; mentorEmail: string }> {
  const departmentId = stack.policy.department.id;
  await stack.db
    .insertInto('departments')
    .values({ id: departmentId, name: stack.policy.department.name })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const tag = randomUUID().slice(0, 8);
  const mentorEmail = seed.mentorEmail ?? `mentor.${tag}@example.edu`;
  const mentor = await stack.db
    .insertInto('people')
    .values({ department_id: departmentId, email: mentorEmail, full_name: seed.mentorName ?? `Mentor ${tag}`, time_zone: 'UTC' })
    .onConflict((oc) => oc.columns(['department_id', 'email']).doUpdateSet({ full_name: (eb) => eb.ref('people.full_name') }))
    .returning('id')
    .executeTakeFirstOrThrow();
  const menteeEmail = `mentee.${tag}@example.edu`;
  const mentee = await stack.db
    .insertInto('people')
    .values({
      department_id: departmentId,
      email: menteeEmail,
      full_name: seed.menteeName ?? `Mentee ${tag}`,
      time_zone: 'UTC',
      ...(seed.menteeUndeliverable ? { undeliverable_email: menteeEmail, undeliverable_reason: '550 no such user', undeliverable_since: new Date() } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const pair = await stack.db
    .insertInto('pairs')
    .values({ department_id: departmentId, mentor_id: mentor.id, mentee_id: mentee.id, program: seed.program ?? 'PhD Biology' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const status = seed.status ?? 'running';
  const cycle = await stack.db
    .insertInto('cycles')
    .values({
      pair_id: pair.id,
      academic_year: 2026,
      workflow_id: `seeded-${tag}`,
      enrolled_at: new Date('2026-09-01T00:00:00Z'),
      status,
      current_step: seed.step === undefined ? 'expectations' : seed.step,
      due_at: seed.dueAt ?? new Date('2026-09-22T00:00:00Z'),
      owed_by: seed.owedBy === undefined ? 'mentor' : seed.owedBy,
      stalled_since: seed.stalledSince === undefined ? (status === 'stalled' ? new Date('2026-10-06T00:00:00Z') : null) : seed.stalledSince,
      ladder_rung: seed.rung === undefined ? (status === 'stalled' ? 2 : null) : seed.rung,
      delivery_problem: seed.deliveryProblem ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { cycleId: cycle.id, pairId: pair.id, mentorEmail };
}
