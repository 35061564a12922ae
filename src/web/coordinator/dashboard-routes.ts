/**
 * The coordinator dashboard: GET /dashboard (list, filters, chart), its CSV export, each
 * pair's page, and the actions on a cycle (POST, CSRF-checked, sent as workflow Updates).
 * Every read is the Postgres projection; only the actions talk to Temporal.
 */
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Policy } from '../../domain/policy.ts';
import { ACTION_BODY_SCHEMAS, CYCLE_ACTIONS, performCycleAction, type ActionForm, type CycleAction } from './cycle-actions.ts';
import { ACTION_DONE, cyclePage } from './cycle-page.ts';
import { csvHeader, csvRow } from './dashboard-csv.ts';
import { describeFilterError, filtersQuerySchema, normalizeFilters, PAGE_SIZE, stagesOf, type RawFilters } from './dashboard-filters.ts';
import { dashboardPage } from './dashboard-page.ts';
import { awayNotesForPairs } from '../../people/away-notes.ts';
import { countByStage, cycleTimeline, findCycle, listCycles, listPrograms, totalMatching } from '../../stores/dashboard-store.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import type { SignedInStaff } from '../../staff/roles.ts';

export interface DashboardRoutesOptions {
  db: Kysely<Database>;
  policy: Policy;
  auth: StaffAuth;
  temporal: () => Promise<Client>;
}

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const cycleParams = { type: 'object', required: ['cycleId'], properties: { cycleId: { type: 'string', pattern: UUID } } } as const;
const htmlPage = { type: 'string', description: 'HTML page' } as const;
const security = [{ staffSession: [] }];

export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (web, options) => {
  const { db, policy, auth } = options;
  const stages = stagesOf(policy);
  const querySchema = filtersQuerySchema(policy);
  const coordinatorOnly = auth.requireStaffRole('coordinator');

  web.get<{ Querystring: RawFilters }>(
    '/dashboard',
    {
      onRequest: coordinatorOnly,
      attachValidation: true,
      schema: {
        summary: 'Cycles, stalled first, with filters, pagination and the cohort chart (HTML)',
        tags: ['coordinator dashboard'],
        security,
        querystring: querySchema,
        response: { 200: htmlPage, 400: htmlPage },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const typed = (request.query ?? {}) as RawFilters;
      const invalid = request.validationError;
      // A rejected filter shows the unfiltered list, the message, and what was typed.
      const filters = invalid ? normalizeFilters({}) : normalizeFilters(typed);
      const [rows, counts, programs] = await Promise.all([
        listCycles(db, staff.departmentId, filters, { limit: PAGE_SIZE, offset: (filters.page - 1) * PAGE_SIZE }),
        countByStage(db, staff.departmentId, filters),
        listPrograms(db, staff.departmentId),
      ]);
      return reply
        .code(invalid ? 400 : 200)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          dashboardPage({
            staff,
            policy,
            filters,
            typed,
            stages,
            programs,
            rows,
            counts,
            total: totalMatching(counts, filters),
            error: invalid ? describeFilterError(invalid.validation, policy) : undefined,
            away: await awayNotesForPairs(
              db,
              rows.map((r) => r.pairId),
              new Date(),
            ),
          }),
        );
    },
  );

  web.get<{ Querystring: RawFilters }>(
    '/dashboard/export.csv',
    {
      onRequest: coordinatorOnly,
      schema: {
        summary: 'The filtered list of cycles as CSV (every page; cells safe from formula injection)',
        tags: ['coordinator dashboard'],
        security,
        querystring: { ...querySchema, properties: { ...querySchema.properties } },
        produces: ['text/csv'],
        response: { 200: { type: 'string', description: 'CSV, UTF-8' } },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const filters = normalizeFilters(request.query);
      const rows = await listCycles(db, staff.departmentId, filters, { limit: 1_000_000, offset: 0 });
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="tandem-cycles-${stamp}.csv"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(csvHeader() + rows.map((r) => csvRow(r, policy)).join(''));
    },
  );

  async function renderCycle(
    reply: FastifyReply,
    staff: SignedInStaff,
    cycleId: string,
    extra: { done?: string; error?: { action: string; reason: string; typed: ActionForm }; status?: number },
  ) {
    const cycle = await findCycle(db, staff.departmentId, cycleId);
    if (!cycle) return reply.code(404).type('text/html; charset=utf-8').send(notFound(policy));
    const timeline = await cycleTimeline(db, cycleId);
    return reply
      .code(extra.status ?? 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(cyclePage({ staff, policy, cycle, timeline, done: extra.done, error: extra.error }));
  }

  web.get<{ Params: { cycleId: string }; Querystring: { done?: string } }>(
    '/dashboard/cycles/:cycleId',
    {
      onRequest: coordinatorOnly,
      schema: {
        summary: "One pair's cycle: where it stands, its timeline, and the coordinator's actions (HTML)",
        tags: ['coordinator dashboard'],
        security,
        params: cycleParams,
        querystring: { type: 'object', properties: { done: { type: 'string', enum: Object.keys(ACTION_DONE) } } },
        response: { 200: htmlPage, 404: htmlPage },
      },
    },
    async (request, reply) => renderCycle(reply, request.staff!, request.params.cycleId, { done: request.query.done }),
  );

  for (const action of CYCLE_ACTIONS) {
    web.post<{ Params: { cycleId: string }; Body: ActionForm & { _csrf: string } }>(
      `/dashboard/cycles/:cycleId/${action}`,
      {
        ...auth.staffOnly('coordinator'),
        attachValidation: true,
        schema: {
          summary: `${actionSummary(action)} (form; sent to the workflow as an Update; 303 back to the pair's page, or the page with the reason it was refused)`,
          tags: ['coordinator actions'],
          security,
          consumes: ['application/x-www-form-urlencoded'],
          params: cycleParams,
          body: ACTION_BODY_SCHEMAS[action],
          response: { 303: { type: 'null', description: 'Done' }, 400: htmlPage, 404: htmlPage, 409: htmlPage, 503: htmlPage },
        },
      },
      async (request, reply) => {
        const staff = request.staff!;
        const form: ActionForm = { step: request.body?.step, until: request.body?.until, reason: request.body?.reason };
        if (request.validationError) {
          const v = request.validationError.validation?.[0];
          const field = v?.instancePath.replace(/^\//, '') || (v?.params as { missingProperty?: string } | undefined)?.missingProperty || 'form';
          const why: Record<string, string> = {
            until: 'must be a date, like 2026-12-01',
            reason: 'choose one of the listed reasons',
            confirm: 'tick the box to confirm that ending the pair cannot be undone',
          };
          const reason = `${field}: ${why[field] ?? v?.message ?? 'is not valid'}.`;
          return renderCycle(reply, staff, request.params.cycleId, { status: 400, error: { action, reason, typed: form } });
        }
        const cycle = await findCycle(db, staff.departmentId, request.params.cycleId);
        if (!cycle) return reply.code(404).type('text/html; charset=utf-8').send(notFound(policy));
        let outcome;
        try {
          const client = await options.temporal();
          outcome = await performCycleAction(client, { workflowId: cycle.workflowId, coordinatorId: staff.id, policy }, action as CycleAction, form);
        } catch (error) {
          request.log.error({ err: error }, 'coordinator action failed');
          outcome = {
            ok: false as const,
            status: 503,
            reason: 'Tandem could not reach the workflow service just now. Nothing was changed; try again in a minute.',
          };
        }
        if (!outcome.ok) return renderCycle(reply, staff, cycle.cycleId, { status: outcome.status, error: { action, reason: outcome.reason, typed: form } });
        return reply.redirect(`/dashboard/cycles/${cycle.cycleId}?done=${action}`, 303);
      },
    );
  }
};

function actionSummary(action: CycleAction): string {
  return {
    nudge: 'Remind whoever owes the current step, now',
    snooze: "Snooze the current step's escalation until a date",
    resolve: 'Resolve the current step (settled outside Tandem)',
    pause: 'Pause the cycle (reason, optional expected end)',
    resume: 'Resume a paused cycle',
    end: 'End the pair (reason)',
  }[action];
}

function notFound(policy: Policy): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found · Tandem</title></head><body><main><h1>No such cycle</h1><p>It may belong to another department, or the link is wrong. <a href="/dashboard">Back to the dashboard</a> (${policy.department.name.replace(/[&<>"']/g, '')}).</p></main></body></html>`;
}
