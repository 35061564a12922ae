/** The sign-in pages: ask for a link, "check your email", and confirm a link. */
import { html } from '../html.ts';
import { page } from '../layout.ts';

export function safeNext(next: string | undefined, fallback = '/dashboard'): string {
  // Only a path on this site: "/x", never "//evil" or "/\evil" (which browsers treat as another host).
  return next && /^\/(?![/\\])[^\s]*$/.test(next) ? next : fallback;
}

/** Which ways to sign in this deployment offers (STAFF_EMAIL_SIGN_IN, OIDC_ISSUER). */
export interface SignInWays {
  emailLinks: boolean;
  university: boolean;
}

export function loginFormPage(options: { departmentName: string; email?: string; next?: string; error?: string; info?: string; ways?: SignInWays }): string {
  const ways = options.ways ?? { emailLinks: true, university: false };
  const next = safeNext(options.next, '');
  return page({
    title: 'Sign in',
    departmentName: options.departmentName,
    narrow: true,
    body: html`<h1>Sign in</h1>
${options.error ? html`<p class="notice error" role="alert" id="login-error">${options.error}</p>` : ''}
${options.info ? html`<p class="notice" role="status">${options.info}</p>` : ''}
<p>For the department's mentoring coordinators and staff.${ways.emailLinks ? ' Enter your work email and we will send you a link that signs you in.' : ''}</p>
${
  ways.university
    ? html`<p class="card"><a class="button" id="login-university" href="/login/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ''}">Sign in with your university account</a></p>`
    : ''
}
${
  ways.emailLinks
    ? html`<form method="post" action="/login" id="login-form" class="card">
${ways.university ? html`<h2 style="margin-top:0;font-size:1.05rem">Or get a sign-in link by email</h2>` : ''}
<label for="login-email">Work email</label>
<input type="email" id="login-email" name="email" autocomplete="email" required maxlength="254" value="${options.email ?? ''}">
<input type="hidden" name="next" value="${next}">
<button type="submit" id="login-submit">Email me a sign-in link</button>
</form>`
    : ''
}`,
  });
}

export function checkEmailPage(options: { departmentName: string; email: string }): string {
  return page({
    title: 'Check your email',
    departmentName: options.departmentName,
    narrow: true,
    body: html`<h1>Check your email</h1>
<p class="notice success" role="status" id="login-sent">If <strong>${options.email}</strong> belongs to a Tandem staff account, a sign-in link is on its way. It works once, for 15 minutes.</p>
<p>Nothing arrived after a few minutes? Check the spam folder, or <a href="/login">ask again</a>.</p>`,
  });
}

export function confirmLoginPage(options: { departmentName: string; name: string; token: string; next: string }): string {
  return page({
    title: 'Sign in',
    departmentName: options.departmentName,
    narrow: true,
    body: html`<h1>Sign in to Tandem</h1>
<p>Signing in as <strong>${options.name}</strong>.</p>
<form method="post" action="/login/${options.token}" id="login-confirm-form">
<input type="hidden" name="next" value="${options.next}">
<button type="submit" id="login-confirm">Sign in</button>
</form>
<p class="hint">The link works once: confirming here spends it. (A button, not an automatic sign-in, so that mail scanners opening the link cannot use it up.)</p>`,
  });
}

export function loginLinkProblemPage(options: { departmentName: string; message: string }): string {
  return page({
    title: 'Sign-in link not valid',
    departmentName: options.departmentName,
    narrow: true,
    body: html`<h1>This sign-in link cannot be used</h1>
<p class="notice error" role="alert" id="login-link-problem">${options.message}</p>
<p><a class="button" href="/login">Get a new sign-in link</a></p>`,
  });
}
