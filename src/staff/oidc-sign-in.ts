/**
 * University sign-in for staff over OpenID Connect (authorization code flow with PKCE),
 * through openid-client. What the callback must match — the state, the nonce and the PKCE
 * verifier — is kept in Postgres under the state's hash and deleted when the callback
 * arrives, so every web process can finish any sign-in and each state works once.
 *
 * Only a verified email is trusted: the account is the staff account with that address.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as oidc from 'openid-client';
import type { Database } from '../../db/schema.ts';
import { deleteExpiredOidcLogins, insertOidcLogin, takeOidcLogin } from '../stores/staff-store.ts';

/** A sign-in must come back from the identity provider within this long. */
export const OIDC_LOGIN_TTL_SECONDS = 10 * 60;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** PUBLIC_URL + /login/oidc/callback, as registered with the identity provider. */
  redirectUri: string;
}

export type OidcProblem = 'issuer-unreachable' | 'unknown-state' | 'refused-by-provider' | 'code-rejected' | 'no-verified-email';

export class OidcSignInError extends Error {
  readonly problem: OidcProblem;
  constructor(problem: OidcProblem, detail: string) {
    super(detail);
    this.problem = problem;
    this.name = 'OidcSignInError';
  }
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');
const isLocal = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/**
 * Whether the provider vouches for the email: `email_verified: true`. Microsoft Entra ID never
 * sends `email_verified` for organisational accounts; its optional claim `xms_edov` (the
 * email's domain is verified by the tenant that owns it) stands in, only when
 * `email_verified` is absent — never against an explicit false.
 */
export function emailVerified(claims: Record<string, unknown>): boolean {
  if (claims.email_verified !== undefined) return claims.email_verified === true;
  return claims.xms_edov === true;
}

export interface OidcSignIn {
  /** Where to send the browser: the provider's authorization URL for a new, recorded attempt. */
  begin(next: string): Promise<URL>;
  /** Checks the callback and returns the verified email and where the person was going. */
  finish(callbackUrl: URL): Promise<{ email: string; next: string | null }>;
}

export function createOidcSignIn(db: Kysely<Database>, settings: OidcSettings, now: () => Date = () => new Date()): OidcSignIn {
  let discovered: Promise<oidc.Configuration> | undefined;
  // Discovered once per process; a failed discovery is forgotten so the next attempt retries.
  const configuration = () => {
    discovered ??= (async () => {
      const issuer = new URL(settings.issuer);
      // HTTP Basic: the method every provider supports (Shibboleth's default; Entra accepts it).
      return oidc.discovery(issuer, settings.clientId, undefined, oidc.ClientSecretBasic(settings.clientSecret), {
        // Plain http only for a provider on this machine (tests, a local demo); config refuses others.
        ...(isLocal(issuer) && issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 10,
      });
    })().catch((error: unknown) => {
      discovered = undefined;
      throw new OidcSignInError('issuer-unreachable', `discovery failed: ${(error as Error).message}`);
    });
    return discovered;
  };

  return {
    async begin(next) {
      const config = await configuration();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const verifier = oidc.randomPKCECodeVerifier();
      const at = now();
      await deleteExpiredOidcLogins(db, at);
      await insertOidcLogin(db, {
        stateHash: hash(state),
        nonce,
        codeVerifier: verifier,
        next: next || null,
        expiresAt: new Date(at.getTime() + OIDC_LOGIN_TTL_SECONDS * 1000),
      });
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
    },

    async finish(callbackUrl) {
      const state = callbackUrl.searchParams.get('state') ?? '';
      // Spent first: a replayed callback, or one this deployment never started, stops here.
      const pending = state ? await takeOidcLogin(db, hash(state), now()) : undefined;
      if (!pending) throw new OidcSignInError('unknown-state', 'no sign-in under way with this state');
      if (callbackUrl.searchParams.has('error')) {
        throw new OidcSignInError(
          'refused-by-provider',
          callbackUrl.searchParams.get('error_description') ?? callbackUrl.searchParams.get('error') ?? 'refused',
        );
      }
      const config = await configuration();
      let tokens;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ClientError) {
          // A network failure reaching the token endpoint is the issuer being down, not a bad code.
          const cause = (error as { cause?: unknown }).cause;
          if (
            error instanceof oidc.ClientError &&
            !(error instanceof oidc.ResponseBodyError) &&
            (cause instanceof TypeError || /fetch failed|ECONNREFUSED|timed? ?out/i.test(error.message))
          ) {
            throw new OidcSignInError('issuer-unreachable', error.message);
          }
          throw new OidcSignInError('code-rejected', error.message);
        }
        throw new OidcSignInError('issuer-unreachable', (error as Error).message);
      }
      const claims = tokens.claims()!;
      let email = typeof claims.email === 'string' ? claims.email : undefined;
      let verified = emailVerified(claims);
      if (!email || !verified) {
        // Providers that keep the email out of the ID token give it at userinfo.
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub).catch(() => undefined);
        if (info && typeof info.email === 'string') {
          email = info.email;
          verified = emailVerified(info);
        }
      }
      if (!email || !verified) throw new OidcSignInError('no-verified-email', 'the identity provider did not vouch for an email address');
      return { email: email.trim().toLowerCase(), next: pending.next };
    },
  };
}
