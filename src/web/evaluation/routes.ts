/**
 * The evaluation committee's area: the list of packets, the printable packet and the CSV
 * export. Every route needs a staff session with the 'evaluation' role; coordinators and
 * resource staff get 403, participants (who have no staff session) are sent to sign in.
 * Opening a packet or exporting needs a reason, which goes into the audit log with who and
 * when, before anything sealed is opened.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { frameworkOf, type Policy } from '../../domain/policy.ts';
import { packetsCsv } from '../../evaluation/packet-csv.ts';
import { listPackets, readPackets } from '../../evaluation/packets.ts';
import type { DataKey } from '../../security/data-encryption.ts';
import { staffHeader } from '../staff/staff-header.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import type { SignedInStaff } from '../../staff/roles.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';
import { renderPacketsPage } from './packet-page.ts';
import { formatAcademicYear } from '../../domain/academic-year.ts';

export interface EvaluationRoutesOptions {
  db: Kysely<Database>;
  policy: Policy;
  auth: StaffAuth;
  dataKey: DataKey;
}

const YEAR = { type: 'integer', minimum: 2000, maximum: 2200 } as const;
const REASON = { type: 'string', maxLength: 500, description: 'Why you need to read this; written to the audit log. Required.' } as const;
const UUID = { type: 'string', format: 'uuid' } as const;

export const evaluationRoutes: FastifyPluginAsync<EvaluationRoutesOptions> = async (web, options) => {
  const { db, auth } = options;
  const departmentName = options.policy.department.name;
  const onRequest = auth.requireStaffRole('evaluation');
  web.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  const actor = (staff: SignedInStaff) => ({ kind: 'staff' as const, id: staff.id, role: 'evaluation' as const });

  web.get<{ Querystring: { year?: number } }>(
    '/evaluation',
    {
      onRequest,
      schema: {
        summary: 'Evaluation packets: the list (no ratings)',
        tags: ['evaluation'],
        querystring: { type: 'object', properties: { year: YEAR }, additionalProperties: false },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const packets = await listPackets(db, staff.departmentId, request.query.year);
      const body = html`<h1>Evaluation of mentoring</h1>
<p>Each packet holds a mentor’s participation facts, their own reflection and — only when at least ${options.policy.anonymityThreshold} mentee responses exist, pooled across years if needed — their mentees’ ratings as averages. To open packets, say why: your reason is written to the audit log.</p>
<form method="get" action="/evaluation/packets" class="card">
<label for="reason">Reason for reading</label><input type="text" id="reason" name="reason" required maxlength="500">
<label for="year">Academic year <span class="hint">(optional: all years otherwise)</span></label><input type="number" id="year" name="year" min="2000" max="2200" value="${request.query.year ?? ''}">
<div class="actions"><button type="submit">Open packets</button> <button type="submit" class="secondary" formaction="/evaluation/packets.csv">Download CSV</button></div>
</form>
<table><thead><tr><th scope="col">Mentor</th><th scope="col">Year</th><th scope="col">Mentee ratings</th></tr></thead><tbody>
${packets.map((p) => html`<tr><td>${p.mentorName}</td><td>${formatAcademicYear(p.academicYear)}</td><td>${p.ratingsStatus}</td></tr>`)}
</tbody></table>`;
      return reply.type('text/html; charset=utf-8').send(page({ title: 'Evaluation packets', departmentName, body, headerExtra: staffHeader(staff) }));
    },
  );

  const packetQuery = {
    type: 'object',
    properties: { reason: REASON, year: YEAR, packet: UUID },
    additionalProperties: false,
  } as const;

  type PacketRoute = { Querystring: { reason?: string; year?: number; packet?: string } };

  /**
   * The packets a request asks for, read under its reason (which goes to the audit log);
   * undefined, with a 400 saying `whyReason` already sent, when no reason was given.
   */
  function auditedPackets(request: FastifyRequest<PacketRoute>, reply: FastifyReply, action: 'read-packet' | 'export-packets-csv', whyReason: string) {
    const staff = request.staff!;
    const { reason, year, packet } = request.query;
    if (reason === undefined || reason.trim() === '') {
      reply
        .code(400)
        .type('application/json')
        .send({ error: `reason: ${whyReason}` });
      return undefined;
    }
    return readPackets(
      db,
      options.dataKey,
      { departmentId: staff.departmentId, academicYear: year, ...(packet ? { packetIds: [packet] } : {}) },
      { actor: actor(staff), action, reason },
    );
  }

  web.get<PacketRoute>(
    '/evaluation/packets',
    { onRequest, schema: { summary: 'Printable evaluation packets (audited; reason required)', tags: ['evaluation'], querystring: packetQuery } },
    async (request, reply) => {
      const packets = await auditedPackets(request, reply, 'read-packet', 'say why you need to read these packets (it is written to the audit log).');
      if (!packets) return reply;
      return reply.type('text/html; charset=utf-8').send(renderPacketsPage({ departmentName, packets }));
    },
  );

  web.get<PacketRoute>(
    '/evaluation/packets.csv',
    {
      onRequest,
      schema: { summary: 'Evaluation packets as CSV, spreadsheet-safe (audited; reason required)', tags: ['evaluation'], querystring: packetQuery },
    },
    async (request, reply) => {
      const packets = await auditedPackets(request, reply, 'export-packets-csv', 'say why you need this export (it is written to the audit log).');
      if (!packets) return reply;
      const { year } = request.query;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="evaluation-packets${year ? `-${year}` : ''}.csv"`)
        .send(packetsCsv(frameworkOf(options.policy), packets));
    },
  );
};
