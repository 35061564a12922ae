/**
 * A real OpenID Connect provider (the `oidc-provider` package) in the test process, standing
 * in for the university's identity provider. Its built-in development login accepts any
 * login name and password; the login name is the account id, and `accounts` says which
 * email (verified or not) each account has.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from '../../src/dev/free-port.ts';

export interface TestAccount {
  email: string;
  /** Left out: the provider sends no email_verified claim at all (as Entra ID does). */
  emailVerified?: boolean;
  /** Entra ID's "email domain owner verified" optional claim. */
  domainVerified?: boolean;
  name?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

export async function startOidcProvider(options: { redirectUri: string }): Promise<TestOidcProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, TestAccount>();
  const clientId = 'tandem-test';
  const clientSecret = 'a-test-client-secret-that-is-long-enough-0123456789';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      return {
        accountId: id,
        async claims() {
          if (!account) return { sub: id };
          return {
            sub: id,
            email: account.email,
            name: account.name ?? id,
            ...(account.emailVerified === undefined ? {} : { email_verified: account.emailVerified }),
            ...(account.domainVerified === undefined ? {} : { xms_edov: account.domainVerified }),
          };
        },
      };
    },
  });
  // oidc-provider warns once about its development-only login and keys; tests want exactly that.
  const server: Server = provider.listen(port, '127.0.0.1') as unknown as Server;
  await once(server, 'listening');
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
