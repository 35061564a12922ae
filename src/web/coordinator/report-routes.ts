/**
 * The coordinator's reports: the policy in effect, the year report (page, printable page,
 * CSV) and the NIH IDP statement (page, CSV). Everything here only reads Postgres and the
 * policy; nothing changes anything.
 */
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { academicYearOf, formatAcademicYear } from '../../domain/academic-year.ts';
import type { Policy } from '../../domain/policy.ts';
import { csvRows } from '../../evaluation/spreadsheet-csv.ts';
import { idpStatement, idpWindow, programTrainees, resolveTrainees } from '../../reports/idp-statement.ts';
import { summarizePolicy } from '../../reports/policy-summary.ts';
import { type Audience } from '../../reports/report-lines.ts';
import { parseTraineeList } from '../../reports/trainee-list.ts';
import { yearReportCsv } from '../../reports/year-report-csv.ts';
import { reportChoices, yearReport } from '../../stores/year-report-store.ts';
import { idpCsvRows, idpPage, type IdpView } from './idp-page.ts';
import { policyPage } from './policy-page.ts';
import { reportPage } from './report-page.ts';
import type { StaffAuth } from '../staff/staff-auth.ts';
import type { SignedInStaff } from '../../staff/roles.ts';

export interface ReportRoutesOptions {
  db: Kysely<Database>;
  policy: Policy;
  /** The file the policy in effect was loaded from, shown on the policy page. */
  policyFile: string;
  auth: StaffAuth;
  now?: () => Date;
}

const htmlPage = { type: 'string', description: 'HTML page' } as const;
const security = [{ staffSession: [] }];
const TREND_YEARS = 5;
const MAX_UPLOAD_BYTES = 1024 * 1024;

interface ReportQuery {
  year?: string;
  program?: string;
  share?: string;
  print?: string;
}

const reportQuerySchema = {
  type: 'object',
  properties: {
    year: { type: 'string', maxLength: 10, description: 'Academic year by its starting calendar year, e.g. 2026 for 2026–27' },
    program: { type: 'string', maxLength: 200, description: 'Exact program name; empty for all programs' },
    share: {
      type: 'string',
      enum: ['department', 'outside'],
      description: '"outside": counts from fewer pairs than the anonymity threshold read "fewer than N"',
    },
    print: { type: 'string', enum: ['1'], description: 'The printable page' },
  },
} as const;

interface IdpForm {
  _csrf?: string;
  emails?: string;
  program?: string;
  format?: string;
  file?: Buffer;
}

export const reportRoutes: FastifyPluginAsync<ReportRoutesOptions> = async (web, options) => {
  const { db, policy, auth } = options;
  const now = options.now ?? (() => new Date());
  const coordinatorOnly = auth.requireStaffRole('coordinator');
  const zone = policy.defaultTimeZone;
  // Only this plugin's routes take multipart bodies (the trainee list upload).
  await web.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } });

  const sendHtml = (reply: FastifyReply, body: string, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

  // An upload over the limit is refused while the body is read, before the route runs: answer with the page, not a JSON error.
  web.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.code !== 'FST_REQ_FILE_TOO_LARGE' || !request.staff) throw error;
    return sendHtml(
      reply,
      idpPage({
        ...(await idpBase(request.staff)),
        typed: {},
        error: `file: the list is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; nothing was counted. Upload a list with one email a line.`,
      }),
      413,
    );
  });

  web.get(
    '/dashboard/policy',
    {
      onRequest: coordinatorOnly,
      schema: {
        summary: 'The policy in effect: calendar for a pair enrolled today, ladders, reminders, resources, threshold (HTML)',
        tags: ['coordinator reports'],
        security,
        response: { 200: htmlPage },
      },
    },
    async (request, reply) => {
      const enrolledAt = now();
      return sendHtml(
        reply,
        policyPage({ staff: request.staff!, summary: summarizePolicy(policy, enrolledAt, zone), policyFile: options.policyFile, enrolledAt, zone }),
      );
    },
  );

  /** The year and program asked for, or why they cannot be read; the default is the newest year with cycles. */
  async function readScope(staff: SignedInStaff, query: ReportQuery) {
    const choices = await reportChoices(db, staff.departmentId);
    const fallback = choices.years[0] ?? academicYearOf(policy, now());
    let error: string | undefined;
    let year = fallback;
    if (query.year !== undefined && query.year !== '') {
      if (/^\d{4}$/.test(query.year) && Number(query.year) >= 1970 && Number(query.year) <= 2200) year = Number(query.year);
      else error = `year: “${query.year}” is not an academic year; give its starting calendar year, like ${fallback} for ${formatAcademicYear(fallback)}.`;
    }
    const program = query.program ? query.program : null;
    const audience: Audience = query.share === 'outside' ? 'outside' : 'department';
    return { choices, year, program, audience, error };
  }

  async function reportsOf(staff: SignedInStaff, year: number, program: string | null) {
    const scope = { departmentId: staff.departmentId, program };
    const years = Array.from({ length: TREND_YEARS }, (_, i) => year - TREND_YEARS + 1 + i);
    return yearReport(db, policy, scope, year, years);
  }

  web.get<{ Querystring: ReportQuery }>(
    '/dashboard/reports',
    {
      onRequest: coordinatorOnly,
      attachValidation: true,
      schema: {
        summary: 'The year report of an academic year and program, with the five-year trend; print=1 for the printable page (HTML)',
        tags: ['coordinator reports'],
        security,
        querystring: reportQuerySchema,
        response: { 200: htmlPage, 400: htmlPage },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const query = request.validationError ? {} : request.query;
      const scope = await readScope(staff, query);
      const error = request.validationError ? 'That report link is not valid: the latest year is shown instead.' : scope.error;
      const { report, trend } = await reportsOf(staff, scope.year, scope.program);
      return sendHtml(
        reply,
        reportPage({
          staff,
          departmentName: policy.department.name,
          threshold: policy.anonymityThreshold,
          report,
          trend,
          years: scope.choices.years,
          programs: scope.choices.programs,
          audience: scope.audience,
          print: query.print === '1',
          error,
        }),
        error ? 400 : 200,
      );
    },
  );

  web.get<{ Querystring: ReportQuery }>(
    '/dashboard/reports.csv',
    {
      onRequest: coordinatorOnly,
      schema: {
        summary: 'The year report as CSV (one line per measure, then the trend; cells safe from formula injection)',
        tags: ['coordinator reports'],
        security,
        querystring: reportQuerySchema,
        produces: ['text/csv'],
        response: { 200: { type: 'string', description: 'CSV, UTF-8' } },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const scope = await readScope(staff, request.query);
      if (scope.error) return reply.code(400).type('text/plain; charset=utf-8').send(scope.error);
      const { report, trend } = await reportsOf(staff, scope.year, scope.program);
      const name = `tandem-year-report-${scope.year}${scope.audience === 'outside' ? '-to-share' : ''}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(yearReportCsv(report, trend, scope.audience, policy.anonymityThreshold));
    },
  );

  const idpBase = async (staff: SignedInStaff): Promise<Omit<IdpView, 'typed'>> => ({
    staff,
    departmentName: policy.department.name,
    zone,
    programs: (await reportChoices(db, staff.departmentId)).programs,
  });

  web.get(
    '/dashboard/reports/idp',
    {
      onRequest: coordinatorOnly,
      schema: { summary: 'The NIH IDP statement: the form for a trainee list (HTML)', tags: ['coordinator reports'], security, response: { 200: htmlPage } },
    },
    async (request, reply) => sendHtml(reply, idpPage({ ...(await idpBase(request.staff!)), typed: {} })),
  );

  web.post<{ Body: IdpForm }>(
    '/dashboard/reports/idp',
    {
      ...auth.staffOnly('coordinator'),
      schema: {
        summary: 'The NIH IDP statement for a trainee list (pasted, uploaded or a program): HTML, or CSV with format=csv. Reads only.',
        tags: ['coordinator reports'],
        security,
        consumes: ['multipart/form-data'],
        response: { 200: htmlPage, 400: htmlPage },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const body = request.body ?? {};
      const uploaded = Buffer.isBuffer(body.file) ? body.file.toString('utf8') : '';
      const typed = { emails: typeof body.emails === 'string' ? body.emails : '', program: typeof body.program === 'string' ? body.program : '' };
      const base = { ...(await idpBase(staff)), typed };
      const answer = (view: Partial<IdpView>, status = 400) => sendHtml(reply, idpPage({ ...base, ...view }), status);
      const text = uploaded.trim() !== '' ? uploaded : typed.emails;
      const window = idpWindow(now());

      let personIds: string[];
      let source: string;
      if (text.trim() !== '') {
        const parsed = parseTraineeList(text);
        const resolved = await resolveTrainees(db, staff.departmentId, parsed.trainees);
        const problems = [...parsed.problems, ...resolved.problems].sort((a, b) => a.line - b.line);
        // An uploaded file's lines are shown in the box, so the person can fix them there.
        if (problems.length > 0) return answer({ problems, typed: { ...typed, emails: text } });
        if (resolved.personIds.length === 0) return answer({ error: 'The list names no trainee: give one email a line.' });
        personIds = resolved.personIds;
        source = uploaded.trim() !== '' ? 'the uploaded list' : 'the pasted list';
      } else if (typed.program) {
        if (!base.programs.includes(typed.program)) return answer({ error: `program: there is no program “${typed.program}”.` });
        personIds = await programTrainees(db, staff.departmentId, typed.program, window);
        source = `the trainees of ${typed.program}`;
      } else {
        return answer({ error: 'Give the trainees: paste their emails, upload a list, or choose a program.' });
      }

      const statement = await idpStatement(db, staff.departmentId, personIds, window);
      if (body.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="tandem-idp-statement-${window.to.toISOString().slice(0, 10)}.csv"`)
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .send(csvRows(idpCsvRows(statement, zone)));
      }
      return answer({ statement, source, typed: { ...typed, emails: text } }, 200);
    },
  );
};
