/**
 * How staff sign in: by emailed link (STAFF_EMAIL_SIGN_IN, on unless "false") and/or with the
 * university's identity provider over OpenID Connect (OIDC_ISSUER, OIDC_CLIENT_ID,
 * OIDC_CLIENT_SECRET, all three or none). At least one way must stay open.
 */
import { ConfigError } from './env.ts';

export interface StaffSignInConfig {
  emailLinks: boolean;
  oidc?: { issuer: string; clientId: string; clientSecret: string };
}

type Env = Record<string, string | undefined>;

export function staffSignInConfig(env: Env): StaffSignInConfig {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const flag = value('STAFF_EMAIL_SIGN_IN') ?? 'true';
  if (flag !== 'true' && flag !== 'false') throw new ConfigError('STAFF_EMAIL_SIGN_IN', `must be true or false (got "${flag}")`);
  const issuer = value('OIDC_ISSUER');
  const clientId = value('OIDC_CLIENT_ID');
  const clientSecret = value('OIDC_CLIENT_SECRET');
  const given = [issuer, clientId, clientSecret].filter((v) => v !== undefined).length;
  if (given > 0 && given < 3) {
    const missing = (['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).find((n) => value(n) === undefined)!;
    throw new ConfigError(missing, 'must be set with the other OIDC_ settings (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET)');
  }
  if (issuer !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(issuer);
    } catch {
      throw new ConfigError('OIDC_ISSUER', `not a URL (got "${issuer}")`);
    }
    if (parsed.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) {
      throw new ConfigError('OIDC_ISSUER', `must be https:// (plain http only for a provider on this machine; got "${issuer}")`);
    }
  }
  const emailLinks = flag === 'true';
  if (!emailLinks && issuer === undefined)
    throw new ConfigError('STAFF_EMAIL_SIGN_IN', 'false needs university sign-in (OIDC_ISSUER…) set, or nobody could sign in');
  return { emailLinks, ...(issuer ? { oidc: { issuer, clientId: clientId!, clientSecret: clientSecret! } } : {}) };
}
