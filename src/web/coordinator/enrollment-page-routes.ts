/**
 * The coordinator's enrollment page, /dashboard/enrollment: upload or paste a roster, see its
 * problems or its preview, confirm it, follow the cycle starts. Every POST checks the origin
 * and the session's CSRF token itself, so a refusal is a page that says what to do, not JSON.
 * Checking and confirming are the same functions the CLI and the API use (roster-imports.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import multipart from '@fastify/multipart';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Policy } from '../../domain/policy.ts';
import type { EnrollDeps } from '../../enrollment/enroll-pairs.ts';
import { confirmRosterImport, handOver, importProgress, listImports, previewRoster } from '../../enrollment/roster-imports.ts';
import { MAX_ROSTER_BYTES, rosterTooLargeReason } from '../../enrollment/roster-limits.ts';
import { rosterImportWorkflowId } from '../../workflows/roster-import.ts';
import { enrollmentHomePage, previewPage, problemsPage, progressPage, refusalPage, type EnrollmentPageContext } from './enrollment-page.ts';
import { html } from '../html.ts';
import { roleMissingPage } from '../staff/role-missing-page.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import type { SignedInStaff } from '../../staff/roles.ts';

export interface EnrollmentPageOptions {
  db: Kysely<Database>;
  policy: Policy;
  auth: StaffAuth;
  temporal: () => Promise<Client>;
  taskQueue: string;
  /** Where the import workflow runs, when not with the cycles (the bench keeps cycles unworked). */
  importTaskQueue?: string;
  concurrency?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const security = [{ staffSession: [] }];

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const enrollmentPageRoutes: FastifyPluginAsync<EnrollmentPageOptions> = async (web, options) => {
  const { db, policy, auth } = options;
  const pageRoleCheck = auth.requireStaffRole('coordinator');
  /** Pages as the dashboard's; a refused form post gets a page too (the shared hook answers those in JSON). */
  const coordinatorOnly: onRequestAsyncHookHandler = async function enrollmentRoleCheck(request, reply) {
    if (request.method === 'GET') return pageRoleCheck.call(this, request, reply);
    const staff = await auth.currentStaff(request);
    if (!staff) {
      return send(
        reply,
        401,
        refusalPage(
          { departmentName: policy.department.name },
          'Sign in first',
          'Your session has ended, so nothing was imported. Sign in again and send the roster again.',
          html`<a href="/login?next=%2Fdashboard%2Fenrollment">Sign in</a>`,
        ),
      );
    }
    if (!staff.roles.includes('coordinator')) return send(reply, 403, roleMissingPage({ departmentName: policy.department.name, staff, role: 'coordinator' }));
    request.staff = staff;
  };
  // Only these routes take multipart bodies; the file may be as large as the CLI and the API allow.
  await web.register(multipart, { limits: { fileSize: MAX_ROSTER_BYTES, fieldSize: MAX_ROSTER_BYTES, files: 1, fields: 4, parts: 6 } });

  const ctx = (staff: SignedInStaff): EnrollmentPageContext => ({ staff, departmentName: policy.department.name });
  const send = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  const refuse = (reply: FastifyReply, staff: SignedInStaff, status: number, title: string, message: string) =>
    send(reply, status, refusalPage(ctx(staff), title, message));
  const deps = async (): Promise<EnrollDeps> => ({
    db,
    policy,
    temporal: await options.temporal(),
    taskQueue: options.taskQueue,
    importTaskQueue: options.importTaskQueue,
  });
  /** A preview never reaches Temporal: it plans in a transaction that writes nothing but the upload. */
  const previewDeps = (): EnrollDeps => ({ db, policy, temporal: undefined as never, taskQueue: options.taskQueue });

  /** Same origin and the session's token, else the page that says so. */
  function formRefusal(request: FastifyRequest, token: unknown): string | null {
    if (!auth.sameOrigin(request)) return 'This form was not sent from Tandem’s own page, so it was refused. Open the enrollment page and send it from there.';
    if (typeof token !== 'string' || !sameToken(token, request.staff!.csrfToken))
      return 'The form’s security token is missing or out of date (perhaps you signed in again in another tab). Reload the enrollment page and send the form again.';
    return null;
  }

  web.get(
    '/dashboard/enrollment',
    { onRequest: coordinatorOnly, schema: { summary: 'Enrollment: upload a roster, past imports (HTML)', tags: ['coordinator enrollment'], security } },
    async (request, reply) => send(reply, 200, enrollmentHomePage(ctx(request.staff!), await listImports(db, policy.department.id))),
  );

  web.post(
    '/dashboard/enrollment/preview',
    {
      onRequest: coordinatorOnly,
      schema: {
        summary: 'Check a roster (multipart: file `roster` or field `paste`) and show its problems or its preview; writes only the upload (HTML)',
        tags: ['coordinator enrollment'],
        security,
        consumes: ['multipart/form-data'],
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      if (!auth.sameOrigin(request)) return refuse(reply, staff, 403, 'Refused', formRefusal(request, undefined)!);
      if (!request.isMultipart())
        return refuse(
          reply,
          staff,
          415,
          'Send the roster from the page',
          'The roster must be sent with the form on the enrollment page (a file upload). Nothing was imported.',
        );
      const fields: Record<string, string> = {};
      let file: { bytes: Buffer; fileName: string } | null = null;
      let tooLarge = false;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer();
            if (part.filename || bytes.length > 0) file = { bytes, fileName: part.filename || 'roster' };
          } else if (part.valueTruncated) tooLarge = true;
          else fields[part.fieldname] = String(part.value ?? '');
        }
      } catch (error) {
        if (error instanceof web.multipartErrors.RequestFileTooLargeError) tooLarge = true;
        else if (
          error instanceof web.multipartErrors.PartsLimitError ||
          error instanceof web.multipartErrors.FilesLimitError ||
          error instanceof web.multipartErrors.FieldsLimitError
        ) {
          return refuse(
            reply,
            staff,
            400,
            'Send one roster at a time',
            'The form carried more than one file or unexpected fields. Choose one roster file (or paste one) and send it again. Nothing was imported.',
          );
        } else throw error;
      }
      const refusal = formRefusal(request, fields._csrf);
      if (refusal) return refuse(reply, staff, 403, 'Refused', refusal);
      if (tooLarge)
        return refuse(
          reply,
          staff,
          413,
          'The roster is too large',
          `The ${file ? 'file' : 'pasted text'} is over the ${MAX_ROSTER_BYTES / 1024 / 1024} MB limit (the same for the page, the API and the command line). Split the roster, one file per program say, and import each. Nothing was imported.`,
        );
      const paste = fields.paste ?? '';
      if (!file && paste.trim() === '') {
        return send(
          reply,
          400,
          problemsPage(ctx(staff), {
            problems: [
              {
                row: null,
                column: null,
                value: null,
                reason: 'no file was chosen and nothing was pasted; choose the roster file, or paste its rows with the header first',
              },
            ],
            format: null,
            fileName: 'the form',
            typedPaste: paste,
          }),
        );
      }
      const source = file ?? { bytes: Buffer.from(paste, 'utf8'), fileName: 'pasted rows' };
      if (source.bytes.length > MAX_ROSTER_BYTES)
        return refuse(reply, staff, 413, 'The roster is too large', `${rosterTooLargeReason(source.bytes.length)}. Nothing was imported.`);
      const result = await previewRoster(previewDeps(), source, { source: 'web', staffId: staff.id, staffName: staff.name }, { record: true });
      if (!result.ok)
        return send(
          reply,
          422,
          problemsPage(ctx(staff), { problems: result.problems, format: result.format, fileName: source.fileName, typedPaste: file ? '' : paste }),
        );
      return send(reply, 200, previewPage(ctx(staff), result.preview));
    },
  );

  web.post<{ Body: { importId?: string; _csrf?: string } }>(
    '/dashboard/enrollment/confirm',
    {
      onRequest: coordinatorOnly,
      schema: {
        summary: 'Import exactly the previewed roster (form: importId); 303 to its progress, or a page saying why not (HTML)',
        tags: ['coordinator enrollment'],
        security,
        consumes: ['application/x-www-form-urlencoded'],
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const body = (request.body ?? {}) as { importId?: unknown; _csrf?: unknown };
      const refusal = formRefusal(request, body._csrf);
      if (refusal) return refuse(reply, staff, 403, 'Refused', refusal);
      const importId = typeof body.importId === 'string' ? body.importId : '';
      if (!UUID.test(importId))
        return refuse(
          reply,
          staff,
          400,
          'Nothing to confirm',
          'There is no preview to confirm. Upload the roster first: Tandem shows what importing would do, and you confirm that. Nothing was imported.',
        );
      let result;
      try {
        result = await confirmRosterImport(await deps(), importId, { concurrency: options.concurrency });
      } catch (error) {
        request.log.error({ err: error }, 'roster confirm failed');
        return refuse(
          reply,
          staff,
          503,
          'Not imported',
          'Tandem could not reach its database or workflow service just now. Nothing was imported; try again in a minute.',
        );
      }
      if (!result.ok) {
        if (result.why === 'already-confirmed') return reply.redirect(`/dashboard/enrollment/imports/${importId}?again=1`, 303);
        return refuse(
          reply,
          staff,
          result.why === 'unknown' ? 404 : 409,
          result.why === 'unknown' ? 'Nothing to confirm' : 'The preview is out of date',
          result.message,
        );
      }
      return reply.redirect(`/dashboard/enrollment/imports/${result.importId}`, 303);
    },
  );

  web.get<{ Params: { importId: string }; Querystring: { again?: string } }>(
    '/dashboard/enrollment/imports/:importId',
    {
      onRequest: coordinatorOnly,
      schema: { summary: "An import's cycle starts: done of total, failures (HTML; reload to follow)", tags: ['coordinator enrollment'], security },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const { importId } = request.params;
      const progress = UUID.test(importId) ? await importProgress(db, policy.department.id, importId) : null;
      if (!progress || progress.status === 'previewed' || progress.status === 'stale')
        return refuse(
          reply,
          staff,
          404,
          'No such import',
          'This import does not exist or was never confirmed. Upload the roster to see a preview, then confirm it.',
        );
      // Confirmed but its workflow never got the starts (Temporal was away at the confirm): hand them over again.
      if (!progress.complete) await resumeIfIdle(progress.sha256, importId, request);
      const again = request.query.again ? 'This preview was already confirmed; it was imported once and is not imported again.' : undefined;
      return send(reply, 200, progressPage(ctx(staff), progress, again));
    },
  );

  async function resumeIfIdle(sha256: string, importId: string, request: FastifyRequest): Promise<void> {
    try {
      const d = await deps();
      try {
        const described = await d.temporal.workflow.getHandle(rosterImportWorkflowId(sha256)).describe();
        if (described.status.name === 'RUNNING') return;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
      const fresh = await importProgress(db, policy.department.id, importId);
      if (fresh && !fresh.complete) await handOver(d, sha256, importId, options.concurrency);
    } catch (error) {
      request.log.warn({ err: error, importId }, 'could not resume a roster import; the page shows its progress so far');
    }
  }
};
