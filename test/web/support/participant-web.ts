/**
 * Driving the participant pages on the real stack (see web-stack.ts for the stack and web
 * app): links taken from emails the SMTP sink really received, forms posted as a browser does.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Action, ActionClaims } from '../../../src/security/action-tokens.ts';
import type { Policy } from '../../../src/domain/policy.ts';
import { testPolicy, type TestStack } from '../../support/stack.ts';

export { PUBLIC_URL } from '../dashboard-support.ts';

/** What a browser sends with a form posted from one of our own pages. */
export const SAME_SITE = { origin: 'null', 'sec-fetch-site': 'same-origin' };

export function claimsOf(path: string): ActionClaims {
  const token = path.replace(/^.*\/a\//, '');
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as ActionClaims;
}

function linksIn(text: string): string[] {
  return [...text.matchAll(/http:\/\/tandem\.test(\/a\/[A-Za-z0-9_.-]+)/g)].map((m) => m[1]!);
}

/**
 * The path of an emailed link to `to` for `act` (and `step`, in a message of `kind`), waiting
 * for it to arrive; `count` asks for the count-th such link (1 = first), for links re-issued later.
 */
export async function linkFromMail(
  stack: TestStack,
  to: string,
  act: Action,
  options: { step?: string; kind?: string; count?: number; timeoutMs?: number } = {},
): Promise<string> {
  const matching = () =>
    stack.mail
      .to(to)
      .filter((m) => options.kind === undefined || m.parsed.headers.get('x-tandem-kind') === options.kind)
      .flatMap((m) => linksIn(m.parsed.text ?? ''))
      .filter((p) => {
        const c = claimsOf(p);
        return c.act === act && (options.step === undefined || c.stp === options.step);
      });
  const wanted = options.count ?? 1;
  await stack.mail.waitFor(() => matching().length >= wanted, options.timeoutMs ?? 60_000);
  return matching()[wanted - 1]!;
}

export function postForm(
  web: FastifyInstance,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = SAME_SITE,
): Promise<LightMyRequestResponse> {
  return web.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** The value of a named input or textarea in a rendered page (what the person sees in the field). */
export function fieldValue(page: string, name: string): string | null {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(page);
  if (input) return unescape(input[1]!);
  const area = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(page);
  return area ? unescape(area[1]!) : null;
}

function unescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * A year in which a policy day passes each second and the first check-in and the
 * training-goal re-visit open two seconds after enrolment, with due dates far enough away
 * that no reminder or rung interferes while a test clicks through its pages.
 */
export function shortYearPolicy(): Policy {
  return testPolicy({
    timeCompression: 86_400,
    stages: {
      expectations: { opensAtDay: 0, dueAtDay: 40 },
      checkIns: [
        { opensAtDay: 2, dueAtDay: 60 },
        { opensAtDay: 60, dueAtDay: 120 },
        { opensAtDay: 120, dueAtDay: 180 },
        { opensAtDay: 180, dueAtDay: 240 },
      ],
      trainingGoalsWithCheckIn: 1,
      feedback: { opensAtDay: 250, dueAtDay: 300 },
      evaluationAtDay: 320,
    },
  });
}

/** What a mentor types into the expectations form. */
export const EXPECTATIONS = {
  meeting_cadence_days: '14',
  meeting_format: 'video',
  meeting_location: 'https://video.example.edu/room/ada',
  meeting_local_time: '10:30',
  response_time_norms: 'Within two working days; same day for anything urgent.',
  work_life_boundaries: 'No email expected in the evening or at weekends.',
  leave_contingencies: 'Dr. Lee covers while I am away; we keep the meeting by video.',
  other_expectations: '',
};
