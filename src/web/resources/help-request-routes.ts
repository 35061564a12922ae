/**
 * Resource staff read the help requests addressed to them: GET /resources/help-requests.
 * A staff member with the 'resource' role is the resource in the policy's directory whose
 * address is theirs; they see only requests sent to that resource. The list shows when and
 * how many; the messages open only with a reason, written to the audit log per request
 * before they are shown. Coordinators and the evaluation committee get 403.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Policy } from '../../domain/policy.ts';
import { helpRequestsFor, openHelpRequests } from '../../stores/participant-content-store.ts';
import type { DataKey } from '../../security/data-encryption.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import { staffHeader } from '../staff/staff-header.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';
import { displayNameOfRow } from '../../domain/person.ts';

export interface HelpRequestRoutesOptions {
  db: Kysely<Database>;
  policy: Policy;
  auth: StaffAuth;
  /** Opens the sealed messages (help-request-store.ts). */
  dataKey: DataKey;
}

export const helpRequestRoutes: FastifyPluginAsync<HelpRequestRoutesOptions> = async (web, options) => {
  const { db, policy, auth, dataKey } = options;
  web.get<{ Querystring: { reason?: string } }>(
    '/resources/help-requests',
    {
      onRequest: auth.requireStaffRole('resource'),
      schema: {
        summary: 'Help requests addressed to the signed-in resource (messages only with a reason; audited)',
        tags: ['resources'],
        querystring: { type: 'object', properties: { reason: { type: 'string', maxLength: 500 } }, additionalProperties: false },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      reply.header('cache-control', 'no-store');
      const mine = policy.resources.filter((r) => r.email.toLowerCase() === staff.email.toLowerCase());
      const rows =
        mine.length === 0
          ? []
          : await helpRequestsFor(
              db,
              staff.departmentId,
              mine.map((r) => r.id),
            );
      const reason = request.query.reason?.trim() ?? '';
      // Messages are opened (and each read audited) only when a reason is given.
      const opened = reason === '' ? [] : await openHelpRequests(db, dataKey, rows, { actor: { kind: 'staff', id: staff.id, role: 'resource' }, reason });
      const nameOf = (id: string) => policy.resources.find((r) => r.id === id)?.name ?? id;
      const body = html`<h1>Help requests</h1>
${mine.length === 0 ? html`<p class="notice">Your address is not listed as a department resource in the policy, so no requests are addressed to you.</p>` : ''}
${
  reason === ''
    ? html`<p>${rows.length} request${rows.length === 1 ? '' : 's'} addressed to you. The messages are confidential: to read them, say why; your reason is written to the audit log.</p>
<form method="get" action="/resources/help-requests" class="card"><label for="reason">Reason for reading</label><input type="text" id="reason" name="reason" required maxlength="500"><button type="submit">Read the messages</button></form>
<table><thead><tr><th scope="col">Received</th><th scope="col">For</th></tr></thead><tbody>${rows.map((r) => html`<tr><td>${r.created_at.toISOString().slice(0, 10)}</td><td>${nameOf(r.resource_id)}</td></tr>`)}</tbody></table>`
    : opened.map(
        (r) => html`<section class="card"><h2>${displayNameOfRow(r)} · ${r.created_at.toISOString().slice(0, 10)}</h2>
<p class="hint">To ${nameOf(r.resource_id)}; reply to <a href="mailto:${r.email}">${r.email}</a>. The mentor is not told.</p>
<p style="white-space:pre-wrap">${r.message}</p></section>`,
      )
}`;
      return reply
        .type('text/html; charset=utf-8')
        .send(page({ title: 'Help requests', departmentName: policy.department.name, body, headerExtra: staffHeader(staff) }));
    },
  );
};
