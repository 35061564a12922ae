/** The pages of university sign-in: no staff account for this person, and each way an attempt can fail. */
import { html } from '../html.ts';
import { page } from '../layout.ts';
import type { OidcProblem } from '../../staff/oidc-sign-in.ts';

export const OIDC_PROBLEMS: Record<OidcProblem, { status: number; title: string; message: string }> = {
  'issuer-unreachable': {
    status: 503,
    title: 'University sign-in is not answering',
    message: "Tandem could not reach the university's sign-in service just now. Nothing was changed. Try again in a few minutes.",
  },
  'unknown-state': {
    status: 400,
    title: 'This sign-in cannot be finished',
    message: 'This sign-in was not started here, took longer than 10 minutes, or was already used (each one works once). Start again.',
  },
  'refused-by-provider': { status: 400, title: 'Sign-in was not completed', message: "The university's sign-in service did not sign you in. Start again." },
  'code-rejected': {
    status: 400,
    title: 'This sign-in cannot be finished',
    message: "The university's sign-in service refused the answer it was given back (it may have been used already). Start again.",
  },
  'no-verified-email': {
    status: 403,
    title: 'No verified email address',
    message:
      "Your university account did not give Tandem a verified email address, so Tandem cannot tell which staff account is yours. Ask your university's IT office to verify the address on your account.",
  },
};

export function oidcProblemPage(options: { departmentName: string; problem: OidcProblem }): string {
  const p = OIDC_PROBLEMS[options.problem];
  return page({
    title: p.title,
    departmentName: options.departmentName,
    narrow: true,
    body: html`<h1>${p.title}</h1>
<p class="notice error" role="alert" id="oidc-problem">${p.message}</p>
<p><a class="button" href="/login">Back to sign-in</a></p>`,
  });
}

/** Signed in at the university, but no Tandem account has this address: say whom to ask. */
export function askYourCoordinatorPage(options: { departmentName: string; email: string; coordinators: { name: string; email: string }[] }): string {
  return page({
    title: 'Ask your coordinator for an account',
    departmentName: options.departmentName,
    narrow: true,
    body: html`<h1>Ask your coordinator for an account</h1>
<p class="notice" role="status" id="no-staff-account">Your university account (<strong>${options.email}</strong>) has no Tandem staff account for ${options.departmentName}.</p>
<p>Staff accounts are added by the department's mentoring coordinator${options.coordinators.length ? html`: ${options.coordinators.map((c, i) => html`${i ? (i === options.coordinators.length - 1 ? ' or ' : ', ') : ''}${c.name} (<a href="mailto:${c.email}">${c.email}</a>)`)}` : ''}. Ask them to add you with the roles you need.</p>
<p class="hint">Mentors and mentees do not need an account: the links in Tandem's emails open their pages.</p>`,
  });
}
