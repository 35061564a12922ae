/**
 * The coordinator's people pages: GET /dashboard/people?q= (search), GET and POST
 * /dashboard/people/:personId (the person, their pairs, the correction form). A correction
 * is written to Postgres first (messages read names and addresses at send time, so the next
 * one uses it), then each of the person's live cycles gets the `profileChanged` Update, and a
 * changed address is announced to the old one.
 */
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Logger } from '../../logger.ts';
import type { OutboxDeps } from '../../mail/outbox.ts';
import { profileChangedUpdate } from '../../workflows/definitions.ts';
import { updateEachCycle } from '../../people/cycle-updates.ts';
import { liveCycles, loadPersonPairs } from '../../people/person-pairs.ts';
import { correctPerson, findPerson, PersonCorrectionError, searchPeople, type PersonCorrection } from '../../stores/people-store.ts';
import { PERSON_DONE, peopleSearchPage, personPage, type PersonPageView } from './people-pages.ts';
import { sendEmailChangedNotice } from './person-email-changed.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { coordinatorActor } from '../../staff/directory.ts';
import { displayNameOfRow } from '../../domain/person.ts';

export interface PeopleRoutesOptions {
  db: Kysely<Database>;
  auth: StaffAuth;
  departmentName: string;
  temporal: () => Promise<Client>;
  outbox: Omit<OutboxDeps, 'db'>;
  logger?: Pick<Logger, 'error' | 'warn'>;
}

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const htmlPage = { type: 'string', description: 'HTML page' } as const;
const security = [{ staffSession: [] }];
const personParams = { type: 'object', required: ['personId'], properties: { personId: { type: 'string', pattern: UUID } } } as const;
const text = (max: number) => ({ type: 'string', maxLength: max }) as const;

export const peopleRoutes: FastifyPluginAsync<PeopleRoutesOptions> = async (web, options) => {
  const { db, auth, departmentName } = options;

  web.get<{ Querystring: { q?: string } }>(
    '/dashboard/people',
    {
      onRequest: auth.requireStaffRole('coordinator'),
      schema: {
        summary: 'Search people by name or email (HTML)',
        tags: ['people'],
        security,
        querystring: { type: 'object', properties: { q: text(200) } },
        response: { 200: htmlPage },
      },
    },
    async (request, reply) => {
      const query = (request.query.q ?? '').trim();
      const hits = await searchPeople(db, request.staff!.departmentId, query);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(peopleSearchPage({ staff: request.staff!, departmentName, query, hits }));
    },
  );

  async function render(reply: FastifyReply, staff: SignedInStaff, personId: string, extra: Pick<PersonPageView, 'done' | 'error'> & { status?: number }) {
    const person = await findPerson(db, staff.departmentId, personId);
    if (!person)
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(peopleSearchPage({ staff, departmentName, query: '', hits: [], error: 'No such person in this department.' }));
    const pairs = await loadPersonPairs(db, personId);
    return reply
      .code(extra.status ?? 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(personPage({ staff, departmentName, person, pairs, ...extra }));
  }

  web.get<{ Params: { personId: string }; Querystring: { done?: string } }>(
    '/dashboard/people/:personId',
    {
      onRequest: auth.requireStaffRole('coordinator'),
      schema: {
        summary: 'One person: their pairs and the form to correct their record (HTML)',
        tags: ['people'],
        security,
        params: personParams,
        querystring: { type: 'object', properties: { done: { type: 'string', enum: Object.keys(PERSON_DONE) } } },
        response: { 200: htmlPage, 404: htmlPage },
      },
    },
    async (request, reply) => render(reply, request.staff!, request.params.personId, { done: request.query.done }),
  );

  web.post<{ Params: { personId: string }; Body: { full_name?: string; preferred_name?: string; pronouns?: string; time_zone?: string; email?: string } }>(
    '/dashboard/people/:personId',
    {
      ...auth.staffOnly('coordinator'),
      schema: {
        summary: "Correct a person's name, preferred name, pronouns, time zone or email (form; 303 back, or the page with what was refused)",
        tags: ['people'],
        security,
        consumes: ['application/x-www-form-urlencoded'],
        params: personParams,
        body: {
          type: 'object',
          required: ['_csrf'],
          properties: { _csrf: text(200), full_name: text(400), preferred_name: text(400), pronouns: text(200), time_zone: text(200), email: text(400) },
        },
        response: { 303: { type: 'null', description: 'Saved' }, 400: htmlPage, 404: htmlPage, 409: htmlPage },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const b = request.body;
      const typed = {
        full_name: b.full_name ?? '',
        preferred_name: b.preferred_name ?? '',
        pronouns: b.pronouns ?? '',
        time_zone: b.time_zone ?? '',
        email: b.email ?? '',
      };
      const input: PersonCorrection = {
        fullName: typed.full_name,
        preferredName: typed.preferred_name,
        pronouns: typed.pronouns,
        timeZone: typed.time_zone,
        email: typed.email,
      };
      let result;
      try {
        result = await correctPerson(db, coordinatorActor(staff.id), staff.departmentId, request.params.personId, input);
      } catch (error) {
        if (!(error instanceof PersonCorrectionError)) throw error;
        if (error.problems[0]?.field === 'person') return render(reply, staff, request.params.personId, {});
        return render(reply, staff, request.params.personId, { status: error.status, error: { problems: error.problems, typed } });
      }
      if (result.changed.length === 0) return reply.redirect(`/dashboard/people/${result.after.id}?done=unchanged`, 303);
      await tellCycles(staff, result.after.id, result.after.updated_at);
      if (result.changed.includes('email')) {
        await sendEmailChangedNotice(
          { db, ...options.outbox },
          { id: result.after.id, name: displayNameOfRow(result.after), oldEmail: result.before.email, newEmail: result.after.email },
          { departmentName, coordinatorName: staff.name, coordinatorEmail: staff.email },
        ).catch((error: unknown) => options.logger?.error({ err: error }, 'email-changed notice failed'));
      }
      return reply.redirect(`/dashboard/people/${result.after.id}?done=${result.changed.includes('email') ? 'email-saved' : 'saved'}`, 303);
    },
  );

  /** The Update carries ids only; a cycle that cannot be reached keeps working, as messages read people fresh. */
  async function tellCycles(staff: SignedInStaff, personId: string, stamp: Date): Promise<void> {
    const live = liveCycles(await loadPersonPairs(db, personId));
    const outcomes = await updateEachCycle(
      options.temporal,
      live.map(({ cycle }) => ({
        id: cycle.id,
        workflowId: cycle.workflowId,
        arg: { actor: { role: 'coordinator' as const, coordinatorId: staff.id }, personId },
      })),
      profileChangedUpdate,
      `${personId}:${stamp.getTime()}`,
    );
    for (const o of outcomes) if (!o.ok) options.logger?.warn({ cycleId: o.cycleId, reason: o.reason }, 'profileChanged Update not delivered');
  }
};
