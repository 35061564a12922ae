/**
 * The staff page: list, add (the new person is emailed how to sign in), change roles,
 * remove, and a coordinator's own notice delivery. Coordinator role; forms are CSRF-checked.
 * A refused change answers the page with the reason and what was typed, and changes nothing.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Logger } from '../../logger.ts';
import type { OutboxDeps } from '../../mail/outbox.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { addStaff, changeStaffRoles, coordinatorActor, listStaff, removeStaff, setNoticeDelivery, StaffChangeError } from '../../staff/directory.ts';
import { STAFF_DONE, staffPage, type StaffPageView } from './staff-page.ts';
import { sendWelcomeEmail, type WelcomeOptions } from '../../staff/welcome-email.ts';
import { homeFor } from '../staff/staff-landing.ts';

export interface StaffRoutesOptions {
  db: Kysely<Database>;
  auth: StaffAuth;
  departmentName: string;
  zone: string;
  outbox: Omit<OutboxDeps, 'db'>;
  welcome: WelcomeOptions;
  logger?: Pick<Logger, 'error'>;
}

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const htmlPage = { type: 'string', description: 'HTML page' } as const;
const security = [{ staffSession: [] }];
const staffParams = { type: 'object', required: ['staffId'], properties: { staffId: { type: 'string', pattern: UUID } } } as const;
const rolesField = {
  anyOf: [
    { type: 'string', maxLength: 40 },
    { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 40 } },
  ],
} as const;
const formResponses = { 303: { type: 'null', description: 'Done; back to the staff page' }, 400: htmlPage, 404: htmlPage, 409: htmlPage } as const;

/** A form's checkboxes arrive as nothing, one string, or a list. */
const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);

export const staffRoutes: FastifyPluginAsync<StaffRoutesOptions> = async (web, options) => {
  const { db, auth } = options;

  async function render(reply: FastifyReply, staff: SignedInStaff, extra: Pick<StaffPageView, 'done' | 'error'> & { status?: number }) {
    const members = await listStaff(db, staff.departmentId);
    return reply
      .code(extra.status ?? 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(staffPage({ staff, departmentName: options.departmentName, zone: options.zone, members, done: extra.done, error: extra.error }));
  }

  web.get<{ Querystring: { done?: string } }>(
    '/dashboard/staff',
    {
      onRequest: auth.requireStaffRole('coordinator'),
      schema: {
        summary: 'Staff accounts with roles and last sign-in, and the forms that change them (HTML)',
        tags: ['staff'],
        security,
        querystring: { type: 'object', properties: { done: { type: 'string', enum: Object.keys(STAFF_DONE) } } },
        response: { 200: htmlPage },
      },
    },
    async (request, reply) => render(reply, request.staff!, { done: request.query.done }),
  );

  web.post<{ Body: { name?: string; email?: string; roles?: string | string[] } }>(
    '/dashboard/staff',
    {
      ...auth.staffOnly('coordinator'),
      schema: {
        summary: 'Add a staff member and email them how to sign in',
        tags: ['staff'],
        security,
        consumes: ['application/x-www-form-urlencoded'],
        body: {
          type: 'object',
          required: ['_csrf'],
          properties: {
            _csrf: { type: 'string', maxLength: 200 },
            name: { type: 'string', maxLength: 400 },
            email: { type: 'string', maxLength: 400 },
            roles: rolesField,
          },
        },
        response: formResponses,
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const typed = { name: request.body.name ?? '', email: request.body.email ?? '', roles: listOf(request.body.roles) };
      let added;
      try {
        added = await addStaff(db, coordinatorActor(staff.id), { departmentId: staff.departmentId, ...typed });
      } catch (error) {
        if (!(error instanceof StaffChangeError)) throw error;
        return render(reply, staff, {
          status: error.field === 'email' && error.message.includes('already') ? 409 : 400,
          error: { form: 'add', message: sentence(error), typed },
        });
      }
      // The account exists whatever the relay does; a refused address shows on the outbox like any other.
      await sendWelcomeEmail({ db, ...options.outbox }, added, staff.name, options.welcome).catch((error: unknown) =>
        options.logger?.error({ err: error }, 'welcome email failed'),
      );
      return reply.redirect('/dashboard/staff?done=added', 303);
    },
  );

  web.post<{ Params: { staffId: string }; Body: { roles?: string | string[] } }>(
    '/dashboard/staff/:staffId/roles',
    {
      ...auth.staffOnly('coordinator'),
      schema: {
        summary: "Change a staff member's roles (never the last coordinator's coordinator role)",
        tags: ['staff'],
        security,
        consumes: ['application/x-www-form-urlencoded'],
        params: staffParams,
        body: { type: 'object', required: ['_csrf'], properties: { _csrf: { type: 'string', maxLength: 200 }, roles: rolesField } },
        response: formResponses,
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const roles = listOf(request.body.roles);
      let changed;
      try {
        changed = await changeStaffRoles(db, coordinatorActor(staff.id), staff.departmentId, request.params.staffId, roles);
      } catch (error) {
        if (!(error instanceof StaffChangeError)) throw error;
        return render(reply, staff, {
          status: error.field === 'staff' ? 409 : 400,
          error: { form: request.params.staffId, message: sentence(error), typed: { roles } },
        });
      }
      // A coordinator who gave up the role goes to the area their roles still open.
      if (changed.id === staff.id && !changed.roles.includes('coordinator')) return reply.redirect(homeFor(changed.roles), 303);
      return reply.redirect('/dashboard/staff?done=roles', 303);
    },
  );

  web.post<{ Params: { staffId: string } }>(
    '/dashboard/staff/:staffId/remove',
    {
      ...auth.staffOnly('coordinator'),
      schema: {
        summary: 'Remove a staff account and end its sessions (never the last coordinator)',
        tags: ['staff'],
        security,
        consumes: ['application/x-www-form-urlencoded'],
        params: staffParams,
        body: { type: 'object', required: ['_csrf'], properties: { _csrf: { type: 'string', maxLength: 200 } } },
        response: formResponses,
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      try {
        await removeStaff(db, coordinatorActor(staff.id), staff.departmentId, request.params.staffId);
      } catch (error) {
        if (!(error instanceof StaffChangeError)) throw error;
        return render(reply, staff, { status: 409, error: { form: request.params.staffId, message: sentence(error) } });
      }
      // Removing oneself ends one's own session too: back to sign-in.
      if (request.params.staffId === staff.id) return reply.redirect('/login?signed_out=1', 303);
      return reply.redirect('/dashboard/staff?done=removed', 303);
    },
  );

  web.post<{ Body: { delivery?: string } }>(
    '/dashboard/staff/notices',
    {
      ...auth.staffOnly('coordinator'),
      schema: {
        summary: "The signed-in coordinator's department notices: immediate or a daily digest",
        tags: ['staff'],
        security,
        consumes: ['application/x-www-form-urlencoded'],
        body: { type: 'object', required: ['_csrf'], properties: { _csrf: { type: 'string', maxLength: 200 }, delivery: { type: 'string', maxLength: 20 } } },
        response: formResponses,
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      try {
        await setNoticeDelivery(db, coordinatorActor(staff.id), staff.departmentId, staff.id, request.body.delivery ?? '');
      } catch (error) {
        if (!(error instanceof StaffChangeError)) throw error;
        return render(reply, staff, { status: 400, error: { form: 'general', message: sentence(error) } });
      }
      return reply.redirect('/dashboard/staff?done=notices', 303);
    },
  );
};

/** "email: is required" → "Email: is required." */
function sentence(error: StaffChangeError): string {
  const m = error.message;
  return m.charAt(0).toUpperCase() + m.slice(1) + (m.endsWith('.') ? '' : '.');
}
