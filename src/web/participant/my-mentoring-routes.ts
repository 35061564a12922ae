/**
 * GET /me/:token — a person's own "My mentoring" page, from the personal link in every
 * email (src/security/personal-links.ts). The link only reads; the page's forms post back
 * to the same address naming themselves (`form` = profile | away | end-away | reminders),
 * refused from other sites like the action pages, and each re-renders the page with what
 * happened — or with what the person typed and what is wrong, having changed nothing.
 */
import formbody from '@fastify/formbody';
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../../db/schema.ts';
import { localDateOf } from '../../domain/zoned-time.ts';
import { timeAwayMaxDays, type Policy } from '../../domain/policy.ts';
import { activePairCount } from '../../mail/digest-participant.ts';
import { parseProfile, parseTimeAway } from '../../people/person-input.ts';
import { changeProfile } from '../../people/profile-change.ts';
import { announceTimeAway, endTimeAway, type TimeAwayDeps } from '../../people/time-away.ts';
import { verifyPersonalToken } from '../../security/personal-links.ts';
import { serverErrorBody } from '../error-page.ts';
import type { CycleUpdateOutcome } from '../../people/cycle-updates.ts';
import type { FormState } from './action-module.ts';
import { loadMyMentoring } from './my-mentoring-model.ts';
import { myMentoringBody, MY_MENTORING_STYLES, type MyMentoringModel } from './my-mentoring-page.ts';
import { linkProblemPage } from './pages.ts';
import { page } from '../layout.ts';
import { FORM_STYLES } from './form-fields.ts';
import { protect } from './routes.ts';
import { crossSiteReason } from './same-origin.ts';
import type { LinkProblem } from './link-context.ts';
import { displayNameOfRow } from '../../domain/person.ts';
import { findPersonById, isActiveMentor, setReminderDelivery } from '../../stores/people-store.ts';

export interface MyMentoringRoutesOptions {
  db: Kysely<Database>;
  policy: Policy;
  secret: string;
  publicUrl: string;
  mailFrom: string;
  mailer: Transporter;
  temporal: () => Promise<Client>;
  /** Where a time away that starts later schedules its timer (the worker's task queue). */
  taskQueue: string;
  now?: () => Date;
}

const TOKEN_PARAMS = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 2048, description: 'The personal link from the email' } },
} as const;

const BODY = {
  type: 'object',
  properties: {
    form: { type: 'string', enum: ['profile', 'away', 'end-away', 'reminders'] },
    away_id: { type: 'string', maxLength: 64 },
    preferred_name: { type: 'string', maxLength: 2000 },
    pronouns_choice: { type: 'string', maxLength: 100 },
    pronouns_other: { type: 'string', maxLength: 2000 },
    time_zone: { type: 'string', maxLength: 200 },
    kind: { type: 'string', maxLength: 40 },
    first_day: { type: 'string', maxLength: 40 },
    last_day: { type: 'string', maxLength: 40 },
    pause: { type: 'string', maxLength: 20 },
    contingency_name: { type: 'string', maxLength: 2000 },
    contingency_email: { type: 'string', maxLength: 2000 },
    contingency_covers: { type: 'string', maxLength: 4000 },
    reminder_delivery: { type: 'string', maxLength: 20 },
  },
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function cyclesNote(cycles: CycleUpdateOutcome[], what: string): string {
  const refused = cycles.filter((c) => !c.ok);
  if (refused.length === 0) return '';
  return ` ${refused.length} of ${cycles.length} of your mentoring years could not ${what} just now (${[...new Set(refused.map((r) => ('reason' in r ? r.reason : '')))].join('; ')}); the coordinator can see this and help.`;
}

export const myMentoringRoutes: FastifyPluginAsync<MyMentoringRoutesOptions> = async (web, options) => {
  await web.register(formbody, { bodyLimit: 64 * 1024 });
  const departmentName = options.policy.department.name;
  const coordinators = options.policy.department.coordinators.map((c) => ({ name: c.name, email: c.email }));
  const now = options.now ?? (() => new Date());
  const problem = (reply: FastifyReply, p: LinkProblem) =>
    protect(reply)
      .code(p.status)
      .send(linkProblemPage(p, departmentName, coordinators));
  const peopleDeps: TimeAwayDeps = {
    db: options.db,
    mailer: options.mailer,
    mailFrom: options.mailFrom,
    departmentName,
    publicUrl: options.publicUrl,
    secret: options.secret,
    temporal: options.temporal,
    policy: options.policy,
    taskQueue: options.taskQueue,
  };

  function whose(reply: FastifyReply, token: string, at: Date): string | null {
    const result = verifyPersonalToken(options.secret, token, at);
    if ('personId' in result) return result.personId;
    const pages: Record<typeof result.problem, LinkProblem> = {
      malformed: {
        status: 400,
        title: 'This link is incomplete',
        text: 'The link seems to have been cut short or changed when it was copied. Open it again from the email, or copy the whole address.',
      },
      forged: { status: 403, title: 'This link is not valid', text: 'This link was not issued by the mentoring program, or it was changed after it was sent.' },
      expired: {
        status: 410,
        title: 'This link has expired',
        text: `This link to your mentoring page expired on ${result.expiredAt?.toISOString().slice(0, 10) ?? 'an earlier date'}. Every message we send you carries a fresh one.`,
      },
      'not-personal': {
        status: 403,
        title: 'This link does not open a mentoring page',
        text: 'This link is for one step of your mentoring, not for your own page. Use the “Your mentoring page” link at the end of any of our emails.',
      },
    };
    problem(reply, pages[result.problem]);
    return null;
  }

  async function render(
    reply: FastifyReply,
    personId: string,
    token: string,
    status: number,
    extra: { forms?: MyMentoringModel['forms']; notice?: FormState['notice'] } = {},
  ) {
    const model = await loadMyMentoring(options, personId, { now: now(), formBase: token, ...extra });
    if (!model)
      return problem(reply, {
        status: 404,
        title: 'This mentoring page is gone',
        text: 'The person this link was made for is no longer in the mentoring program.',
      });
    const hasErrors = Object.values(model.forms).some((f) => f && f.errors.length > 0);
    return protect(reply)
      .code(status)
      .send(
        page({
          title: `${hasErrors ? 'Error: ' : ''}My mentoring`,
          departmentName,
          narrow: true,
          styles: FORM_STYLES + MY_MENTORING_STYLES,
          body: myMentoringBody(model),
        }),
      );
  }

  web.get<{ Params: { token: string } }>(
    '/me/:token',
    { schema: { summary: "A participant's own page, from the personal link in every email", tags: ['participant'], params: TOKEN_PARAMS } },
    async (request, reply) => {
      const personId = whose(reply, request.params.token, now());
      if (!personId) return reply;
      return render(reply, personId, request.params.token, 200);
    },
  );

  web.post<{ Params: { token: string }; Body: Record<string, string> | undefined }>(
    '/me/:token',
    {
      schema: {
        summary: 'Change your name, pronouns, time zone, time away or reminder delivery',
        tags: ['participant'],
        params: TOKEN_PARAMS,
        body: BODY,
        consumes: ['application/x-www-form-urlencoded'],
      },
    },
    async (request, reply) => {
      if (crossSiteReason(request.headers, options.publicUrl)) {
        return problem(reply, {
          status: 403,
          title: 'This form was sent from another website',
          text: 'For your safety we only accept this form from our own pages. Open your mentoring page from the link in your email and submit the form there.',
        });
      }
      const at = now();
      const token = request.params.token;
      const personId = whose(reply, token, at);
      if (!personId) return reply;
      const body = request.body ?? {};
      const person = await findPersonById(options.db, personId);
      if (!person) return render(reply, personId, token, 404);
      const me = { id: person.id, name: displayNameOfRow(person), timeZone: person.time_zone };

      switch (body.form) {
        case 'profile': {
          const parsed = parseProfile(body);
          if (!parsed.ok) return render(reply, personId, token, 422, { forms: { profile: { values: body, errors: parsed.problems } } });
          const result = await changeProfile(peopleDeps, personId, parsed.value);
          const text = !result.changed
            ? 'Nothing was different from what we had, so nothing changed.'
            : `Saved. ${result.told > 0 ? `${result.told === 1 ? 'Your counterpart has' : `Your ${result.told} counterparts have`} been told how to address you.` : ''}${cyclesNote(result.cycles, 'record the change')}`;
          return render(reply, personId, token, 200, { notice: { tone: 'success', title: result.changed ? 'Your details are saved' : 'No change', text } });
        }
        case 'away': {
          const mentor = await isActiveMentor(options.db, personId);
          const today = localDateOf(at.getTime(), person.time_zone);
          const todayText = `${today.year}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
          const parsed = parseTimeAway(body, { contingencyRequired: Boolean(mentor), maxDays: timeAwayMaxDays(options.policy), today: todayText });
          if (!parsed.ok) return render(reply, personId, token, 422, { forms: { away: { values: body, errors: parsed.problems } } });
          const result = await announceTimeAway(peopleDeps, me, parsed.value, at);
          if (result.status === 'overlap') {
            const last = new Date(result.with.endsAt.getTime() - 1);
            const fmt = (d: Date) => new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: person.time_zone }).format(d);
            return render(reply, personId, token, 409, {
              forms: {
                away: {
                  values: body,
                  errors: [
                    {
                      field: 'first_day',
                      message: `These dates overlap time away you already announced (${fmt(result.with.startsAt)} to ${fmt(last)}). End or cancel that one first, or choose other dates.`,
                    },
                  ],
                },
              },
            });
          }
          const text = parsed.value.pauseSteps
            ? result.startsNow
              ? `Your mentoring steps are paused until your return.${cyclesNote(result.cycles, 'pause')}`
              : 'Your mentoring steps will pause on your first day away.'
            : 'Your steps are not paused.';
          return render(reply, personId, token, 200, {
            notice: { tone: 'success', title: 'Your time away is announced', text: `${text} Your counterparts and the coordinator have been told.` },
          });
        }
        case 'end-away': {
          const id = body.away_id ?? '';
          const result = UUID.test(id) ? await endTimeAway(peopleDeps, me, id, at) : ({ status: 'not-found' } as const);
          if (result.status === 'not-found')
            return problem(reply, {
              status: 404,
              title: 'This time away was not found',
              text: 'It is not one you announced, so nothing was changed. Open your mentoring page from your email to see your own.',
            });
          if (result.status === 'already-ended')
            return render(reply, personId, token, 409, {
              notice: { tone: 'info', title: 'Already over', text: 'This time away had already ended; nothing changed.' },
            });
          return render(reply, personId, token, 200, {
            notice: {
              tone: 'success',
              title: 'Welcome back',
              text: `Your time away has ended; your counterparts and the coordinator have been told.${cyclesNote(result.cycles, 'resume')}`,
            },
          });
        }
        case 'reminders': {
          const choice = body.reminder_delivery;
          if (choice !== 'immediate' && choice !== 'daily' && choice !== 'weekly') {
            return render(reply, personId, token, 422, {
              forms: { reminders: { values: body, errors: [{ field: 'reminder_delivery', message: 'Choose how reminders should reach you.' }] } },
            });
          }
          if (choice !== 'immediate' && (await activePairCount(options.db, personId)) <= 1) {
            return render(reply, personId, token, 422, {
              forms: {
                reminders: {
                  values: body,
                  errors: [
                    { field: 'reminder_delivery', message: 'A digest is for people with more than one pair; with one pair each reminder comes on its own.' },
                  ],
                },
              },
            });
          }
          await setReminderDelivery(options.db, personId, choice);
          const words = {
            immediate: 'Each reminder now comes as its own message.',
            daily: 'Reminders now come in one daily digest.',
            weekly: 'Reminders now come in one weekly digest.',
          }[choice];
          return render(reply, personId, token, 200, { notice: { tone: 'success', title: 'Saved', text: `${words} Due dates do not change.` } });
        }
        default:
          return problem(reply, { status: 400, title: 'The form could not be read', text: 'Please go back to your mentoring page and send the form again.' });
      }
    },
  );
  // A body that does not fit the schema: an HTML page naming the problem, not JSON.
  web.setErrorHandler((error: { validation?: unknown; statusCode?: number; message: string }, request, reply) => {
    if (error.validation)
      return problem(reply, { status: 400, title: 'The form could not be read', text: `${error.message}. Please go back, check the form and send it again.` });
    request.log.error(error);
    return protect(reply)
      .code(500)
      .send(
        page({
          title: 'Something went wrong',
          departmentName,
          narrow: true,
          body: serverErrorBody(request.id, 'Nothing you typed was lost if the form is still open: go back and send it again in a few minutes.'),
        }),
      );
  });
};
