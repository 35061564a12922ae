/**
 * GET /a/:token shows the page for the link's action; POST /a/:token performs it.
 * The token (src/security/action-tokens.ts) names the person, the cycle, the action and
 * perhaps the step; the action's module (registry.ts, contract in action-module.ts) draws
 * the page and performs the action. This file owns everything around that: verifying the
 * link, single use, cross-site refusal, headers, status codes, and re-rendering a refused
 * form with what the person typed.
 */
import formbody from '@fastify/formbody';
import type {} from '@fastify/swagger'; // schema.summary/tags/hide, for the OpenAPI document
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../../db/schema.ts';
import type { Policy } from '../../domain/policy.ts';
import { html, type Html } from '../html.ts';
import { serverErrorBody } from '../error-page.ts';
import type { WebContext } from '../web-context.ts';
import { emptyForm, type ActionContext, type ActionModule, type FormState, type Submission } from './action-module.ts';
import { errorSummary, notice } from './form-fields.ts';
import { isLinkProblem, loadActionContext, verifyLink, type LinkProblem } from './link-context.ts';
import { coordinatorContact, linkProblemPage, participantPage } from './pages.ts';
import { ACTION_MODULES, bodySchemaOf } from './registry.ts';
import { crossSiteReason } from './same-origin.ts';
import { findUsedLink, recordUsedLink } from '../../stores/link-store.ts';

export interface ParticipantRoutesOptions {
  db: Kysely<Database>;
  policy: Policy;
  /** Verifies the links' signatures (config.secret). */
  secret: string;
  /** TANDEM_DATA_KEY (config.dataKey): seals feedback; unset derives it from `secret`. */
  dataKey?: string;
  /** Only forms from this origin may post (config.publicUrl). */
  publicUrl: string;
  temporal: () => Promise<Client>;
  /** Lets help requests be emailed to the department resource; without it they are only stored. */
  mail?: { mailer: Transporter; mailFrom: string };
  /** The clock, for tests of expiry; defaults to now. */
  now?: () => Date;
}

export function participantRoutesOptions(app: WebContext, temporal: () => Promise<Client>): ParticipantRoutesOptions {
  return {
    db: app.db,
    policy: app.policy,
    secret: app.config.secret,
    ...(app.config.dataKey ? { dataKey: app.config.dataKey } : {}),
    publicUrl: app.config.publicUrl,
    temporal,
    ...(app.mailer ? { mail: { mailer: app.mailer, mailFrom: app.config.mailFrom } } : {}),
  };
}

/**
 * Token pages are bearer credentials: never cached, never leaked through a Referer, never
 * framed, no scripts at all.
 */
export function protect(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-robots-tag', 'noindex, nofollow')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    .type('text/html; charset=utf-8');
}

const TOKEN_PARAMS = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 2048, description: 'The signed link from the email' } },
} as const;

type TokenRequest = FastifyRequest<{ Params: { token: string }; Body: Record<string, string> | undefined }>;

export const participantRoutes: FastifyPluginAsync<ParticipantRoutesOptions> = async (web, options) => {
  await web.register(formbody, { bodyLimit: 256 * 1024 });
  const departmentName = options.policy.department.name;
  const coordinators = options.policy.department.coordinators.map((c) => ({ name: c.name, email: c.email }));
  const now = options.now ?? (() => new Date());

  const problem = (reply: FastifyReply, p: LinkProblem) =>
    protect(reply)
      .code(p.status)
      .send(linkProblemPage(p, departmentName, coordinators));

  const formPage = (ctx: ActionContext, module: ActionModule, form: FormState, body: Html) =>
    participantPage({
      title: form.errors.length > 0 ? `Error: ${module.title(ctx)}` : module.title(ctx),
      departmentName,
      body: html`<h1>${module.title(ctx)}</h1>
${errorSummary(form)}${notice(form)}
${body}`,
    });

  const usedPage = async (ctx: ActionContext, module: ActionModule, used: { outcome: string; usedAt: Date }) =>
    participantPage({
      title: 'This link has already been used',
      departmentName,
      body: html`<h1>This link has already been used</h1>
<div class="notice"><p>${module.describeUse(ctx, used)}</p></div>
${module.usedView ? await module.usedView(ctx, used) : ''}
<p class="hint">Links that change something work once, so a forwarded or old email cannot change it again. If something needs correcting, write to ${coordinatorContact(coordinators)}.</p>`,
    });

  const fail = (_sent: unknown): null => null;

  /** Verify, load, match the module and the role, check single use. Sends the problem page itself when there is one. */
  async function open(request: TokenRequest, reply: FastifyReply): Promise<{ ctx: ActionContext; module: ActionModule } | null> {
    const at = now();
    const claims = verifyLink(options.secret, request.params.token, at);
    if (isLinkProblem(claims)) return fail(problem(reply, claims));
    const module = ACTION_MODULES[claims.act];
    if (!module)
      return fail(
        problem(reply, {
          status: 404,
          title: 'This link does not open a page',
          text: 'This link is used by your calendar or another part of the program, not by a web page.',
        }),
      );
    const ctx = await loadActionContext(options, claims, at);
    if (isLinkProblem(ctx)) return fail(problem(reply, ctx));
    // Relative to /a/<token>, so the pages also work behind a proxy that serves Tandem under a path.
    ctx.formAction = request.params.token;
    if (!module.roles.includes(ctx.person.role)) {
      return fail(
        problem(reply, { status: 403, title: 'This page is not for you', text: `Only the ${module.roles.join(' or ')} of the pair can use this page.` }),
      );
    }
    if (module.singleUse) {
      const used = await findUsedLink(options.db, claims.jti);
      if (used)
        return fail(
          protect(reply)
            .code(409)
            .send(await usedPage(ctx, module, used)),
        );
      if (!module.afterYearEnds && (ctx.cycle.status === 'completed' || ctx.cycle.status === 'ended')) {
        const text =
          ctx.cycle.status === 'ended'
            ? 'This mentoring pair has ended, so nothing more can be recorded for it.'
            : 'This mentoring year is over, so nothing more can be recorded for it. Links in messages about the new year work as usual.';
        return fail(problem(reply, { status: 410, title: 'This mentoring year is closed', text }));
      }
    }
    return { ctx, module };
  }

  web.get('/a/', { schema: { hide: true } }, async (_request, reply) =>
    problem(reply, {
      status: 400,
      title: 'This page needs the link from your email',
      text: 'Open this page from the button or link in a message from the mentoring program.',
    }),
  );

  web.get<{ Params: { token: string } }>(
    '/a/:token',
    { schema: { summary: 'A participant action page, from a signed link in an email', tags: ['participant'], params: TOKEN_PARAMS } },
    async (request, reply) => {
      const opened = await open(request as TokenRequest, reply);
      if (!opened) return reply;
      const { ctx, module } = opened;
      return protect(reply)
        .code(module.pageStatus ?? 200)
        .send(formPage(ctx, module, emptyForm(), await module.render(ctx, emptyForm())));
    },
  );

  web.post<{ Params: { token: string }; Body: Record<string, string> | undefined }>(
    '/a/:token',
    {
      schema: {
        summary: 'Perform a participant action (single use for state-changing links)',
        tags: ['participant'],
        params: TOKEN_PARAMS,
        body: bodySchemaOf(Object.values(ACTION_MODULES)),
        consumes: ['application/x-www-form-urlencoded'],
      },
    },
    async (request, reply) => {
      const refusal = crossSiteReason(request.headers, options.publicUrl);
      if (refusal) {
        return problem(reply, {
          status: 403,
          title: 'This form was sent from another website',
          text: 'For your safety we only accept this form from our own pages. Open the link from your email and submit the form there.',
        });
      }
      const opened = await open(request, reply);
      if (!opened) return reply;
      const { ctx, module } = opened;
      const body = request.body ?? {};
      const submission: Submission = await module.submit(ctx, body);
      if (submission.status === 'done') {
        if (module.singleUse) await recordUsedLink(options.db, ctx.claims, submission.outcome);
        return protect(reply)
          .code(200)
          .send(
            participantPage({
              title: module.title(ctx),
              departmentName,
              body: html`<h1>${module.title(ctx)}</h1><div class="notice success" role="status">${submission.message}</div>`,
            }),
          );
      }
      const form: FormState = { values: body, errors: [] };
      if (submission.status === 'invalid') form.errors = submission.errors;
      if (submission.status === 'rejected') form.notice = { tone: 'error', title: 'This could not be recorded', text: submission.reason };
      // Not a failure: the outcome is not known yet, and the page says only that.
      if (submission.status === 'unknown') form.notice = { tone: 'info', title: 'Sent, not confirmed yet', text: submission.reason };
      const status = { invalid: 422, rejected: 409, unknown: 202 }[submission.status];
      return protect(reply)
        .code(status)
        .send(formPage(ctx, module, form, await module.render(ctx, form)));
    },
  );

  // A body that does not fit the schema (a value too long or outside its choices): an HTML page, not JSON.
  web.setErrorHandler((error: { validation?: unknown; statusCode?: number; message: string }, request, reply) => {
    if (error.validation) {
      return problem(reply, { status: 400, title: 'The form could not be read', text: `${error.message}. Please go back, check the form and send it again.` });
    }
    request.log.error(error);
    return protect(reply)
      .code(error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500)
      .send(
        participantPage({
          title: 'Something went wrong',
          departmentName,
          body: serverErrorBody(request.id, 'Nothing you typed was lost if the form is still open: go back and send it again in a few minutes.'),
        }),
      );
  });
};
