/**
 * At start: make sure the configured coordinator has a staff account, and (for `npm start`)
 * a sign-in link to print, so the first person at a fresh deployment can get in.
 */
import type { AppContext } from '../app-context.ts';
import { issueLoginToken, loginLinkUrl } from './login-links.ts';
import { bootstrapCoordinator } from './accounts.ts';

/** The printed link lasts an hour: long enough to read the start-up output, and it works once. */
export const STARTUP_LINK_TTL_SECONDS = 3600;

export async function ensureBootstrapCoordinator(
  app: Pick<AppContext, 'db' | 'policy' | 'config'>,
): Promise<{ email: string; name: string; loginUrl: string } | undefined> {
  const staff = await bootstrapCoordinator(app.db, app.policy.department, app.config.coordinator);
  if (!staff) return undefined;
  const token = issueLoginToken(app.config.secret, staff.id, { ttlSeconds: STARTUP_LINK_TTL_SECONDS });
  return { email: staff.email, name: staff.name, loginUrl: loginLinkUrl(app.config.publicUrl, token) };
}
