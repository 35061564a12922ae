/**
 * Staff sign-in: emailed links (/login, login-routes.ts) and, when OIDC_ISSUER is set,
 * university sign-in (/login/oidc/…, oidc-routes.ts). Every staff area signs in here.
 */
import { mailSenderName } from '../../mail/layout.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { Transporter } from 'nodemailer';
import { createOidcSignIn } from '../../staff/oidc-sign-in.ts';
import type { WebContext } from '../web-context.ts';
import { loginRoutes } from './login-routes.ts';
import { oidcRoutes } from './oidc-routes.ts';
import type { StaffAuth } from './staff-auth.ts';

export interface SignInRoutesOptions {
  app: WebContext;
  auth: StaffAuth;
  mailer: Transporter;
  /** Sign-in limits (tests lower them). */
  loginLimits?: { perEmail: number; perIp: number };
}

export const signInRoutes: FastifyPluginAsync<SignInRoutesOptions> = async (web, options) => {
  const { app, auth } = options;
  await web.register(loginRoutes, {
    db: app.db,
    secret: app.config.secret,
    publicUrl: app.config.publicUrl,
    departmentName: app.policy.department.name,
    departmentId: app.policy.department.id,
    auth,
    outbox: { mailer: options.mailer, mailFrom: app.config.mailFrom, senderName: mailSenderName(app.policy.department.name) },
    logger: app.logger,
    limits: options.loginLimits,
    ways: { emailLinks: app.config.staffSignIn.emailLinks, university: Boolean(app.config.staffSignIn.oidc) },
  });
  const university = app.config.staffSignIn.oidc;
  if (university) {
    const signIn = createOidcSignIn(app.db, { ...university, redirectUri: `${app.config.publicUrl}/login/oidc/callback` });
    await web.register(oidcRoutes, { db: app.db, policy: app.policy, auth, publicUrl: app.config.publicUrl, signIn, logger: app.logger });
  }
};
