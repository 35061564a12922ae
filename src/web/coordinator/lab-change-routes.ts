/**
 * POST /dashboard/cycles/:cycleId/lab-change: a mentee moves to another lab. In order, so a
 * bad form ends nothing: check the new mentor (the enrollment rules), end this pair with the
 * reason "lab-change" (the workflow's endPair Update), then enroll the mentee with the new
 * mentor (the same path as `tandem enroll-pair`) and go to the new pair's page.
 */
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Policy } from '../../domain/policy.ts';
import type { Logger } from '../../logger.ts';
import { enrollPair, EnrollmentValidationError, validateEnrollPair, type EnrollPairInput } from '../../enrollment/enroll-pair.ts';
import { performCycleAction } from './cycle-actions.ts';
import { cyclePage, type CyclePageView } from './cycle-page.ts';
import { cycleTimeline, findCycle } from '../../stores/dashboard-store.ts';
import type { LabChangeTyped } from './lab-change-form.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { getPersonByEmail } from '../../stores/people-store.ts';

export interface LabChangeRoutesOptions {
  db: Kysely<Database>;
  policy: Policy;
  auth: StaffAuth;
  temporal: () => Promise<Client>;
  taskQueue: string;
  logger?: Pick<Logger, 'error'>;
}

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const htmlPage = { type: 'string', description: 'HTML page' } as const;
const text = (max: number) => ({ type: 'string', maxLength: max }) as const;

export const labChangeRoutes: FastifyPluginAsync<LabChangeRoutesOptions> = async (web, options) => {
  const { db, policy } = options;

  async function render(reply: FastifyReply, staff: SignedInStaff, cycleId: string, status: number, extra: Pick<CyclePageView, 'error' | 'labChange'>) {
    const cycle = (await findCycle(db, staff.departmentId, cycleId))!;
    const timeline = await cycleTimeline(db, cycleId);
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(cyclePage({ staff, policy, cycle, timeline, ...extra }));
  }

  web.post<{ Params: { cycleId: string }; Body: LabChangeTyped & { confirm?: string } }>(
    '/dashboard/cycles/:cycleId/lab-change',
    {
      ...options.auth.staffOnly('coordinator'),
      schema: {
        summary: "The mentee changes lab: end this pair (reason lab-change) and enroll the mentee with a new mentor (form; 303 to the new pair's page)",
        tags: ['coordinator actions'],
        security: [{ staffSession: [] }],
        consumes: ['application/x-www-form-urlencoded'],
        params: { type: 'object', required: ['cycleId'], properties: { cycleId: { type: 'string', pattern: UUID } } },
        body: {
          type: 'object',
          required: ['_csrf'],
          properties: {
            _csrf: text(200),
            mentor_name: text(400),
            mentor_email: text(400),
            mentor_preferred_name: text(400),
            mentor_pronouns: text(200),
            confirm: text(10),
          },
        },
        response: { 303: { type: 'null', description: 'Done' }, 400: htmlPage, 404: htmlPage, 409: htmlPage, 503: htmlPage },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const { cycleId } = request.params;
      const typed: LabChangeTyped = {
        mentor_name: request.body.mentor_name,
        mentor_email: request.body.mentor_email,
        mentor_preferred_name: request.body.mentor_preferred_name,
        mentor_pronouns: request.body.mentor_pronouns,
      };
      const cycle = await findCycle(db, staff.departmentId, cycleId);
      if (!cycle)
        return reply
          .code(404)
          .type('text/html; charset=utf-8')
          .send(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found · Tandem</title></head><body><main><h1>No such cycle</h1><p><a href="/dashboard">Back to the dashboard</a></p></main></body></html>',
          );
      const refuse = (status: number, problems: { field: string; reason: string }[]) =>
        render(reply, staff, cycleId, status, { labChange: { typed, problems } });

      const mentee = await getPersonByEmail(db, staff.departmentId, cycle.menteeEmail);
      const input: EnrollPairInput = {
        mentor: { fullName: typed.mentor_name, email: typed.mentor_email, preferredName: typed.mentor_preferred_name, pronouns: typed.mentor_pronouns },
        mentee: {
          fullName: mentee.full_name,
          preferredName: mentee.preferred_name ?? undefined,
          pronouns: mentee.pronouns ?? undefined,
          email: mentee.email,
          timeZone: mentee.time_zone,
        },
        program: cycle.program ?? undefined,
      };
      const problems: { field: string; reason: string }[] = [];
      try {
        validateEnrollPair(input, policy);
      } catch (error) {
        if (!(error instanceof EnrollmentValidationError)) throw error;
        problems.push(...error.problems);
      }
      if ((typed.mentor_email ?? '').trim().toLowerCase() === cycle.mentorEmail)
        problems.push({ field: 'mentor-email', reason: 'is the current mentor; a lab change needs a new one' });
      if (request.body.confirm !== 'yes') problems.push({ field: 'confirm', reason: 'tick the box to confirm that the current pair ends' });
      if (cycle.pairStatus !== 'active' || cycle.status === 'ended' || cycle.status === 'completed')
        problems.push({ field: 'pair', reason: 'this pair has already ended' });
      if (problems.length) return refuse(problems.some((p) => p.field === 'pair') ? 409 : 400, problems);

      let client: Client;
      try {
        client = await options.temporal();
      } catch (error) {
        request.log.error({ err: error }, 'lab change: Temporal unreachable');
        return refuse(503, [{ field: 'service', reason: 'Tandem could not reach the workflow service just now; try again in a minute' }]);
      }
      const ended = await performCycleAction(client, { workflowId: cycle.workflowId, coordinatorId: staff.id, policy }, 'end', { reason: 'lab-change' });
      if (!ended.ok) return refuse(ended.status, [{ field: 'pair', reason: ended.reason }]);
      try {
        const enrolled = await enrollPair({ db, temporal: client, taskQueue: options.taskQueue, policy }, input);
        return reply.redirect(`/dashboard/cycles/${enrolled.cycleId}?done=lab-change`, 303);
      } catch (error) {
        options.logger?.error({ err: error }, 'lab change: the new pair was not enrolled');
        // Said as it is: the old pair is ended; the new one must be enrolled again.
        const reason = error instanceof EnrollmentValidationError ? error.message : 'the workflow service did not start it';
        return render(reply, staff, cycleId, 409, {
          error: {
            action: 'lab-change',
            reason: `This pair is ended (lab change), but the new pair was not enrolled: ${reason}. Enroll it with the enrollment page or \`tandem enroll-pair\`.`,
            typed: {},
          },
        });
      }
    },
  );
};
