/** STAFF_EMAIL_SIGN_IN and the OIDC_ settings: all three or none, https issuers, and never no way in. */
import { describe, expect, it } from 'vitest';
import { staffSignInConfig } from '../../src/config/staff-sign-in.ts';

const OIDC = { OIDC_ISSUER: 'https://login.example.edu', OIDC_CLIENT_ID: 'tandem', OIDC_CLIENT_SECRET: 's3cret' };

describe('staff sign-in settings', () => {
  it('offers emailed links by default and university sign-in when all three OIDC settings are given', () => {
    expect(staffSignInConfig({})).toEqual({ emailLinks: true });
    expect(staffSignInConfig({ ...OIDC, STAFF_EMAIL_SIGN_IN: 'false' })).toEqual({
      emailLinks: false,
      oidc: { issuer: OIDC.OIDC_ISSUER, clientId: 'tandem', clientSecret: 's3cret' },
    });
  });

  it('names the setting that is wrong', () => {
    expect(() => staffSignInConfig({ OIDC_ISSUER: OIDC.OIDC_ISSUER, OIDC_CLIENT_ID: 'tandem' })).toThrow(
      'OIDC_CLIENT_SECRET: must be set with the other OIDC_ settings',
    );
    expect(() => staffSignInConfig({ ...OIDC, OIDC_ISSUER: 'http://login.example.edu' })).toThrow('OIDC_ISSUER: must be https://');
    expect(() => staffSignInConfig({ ...OIDC, OIDC_ISSUER: 'login.example.edu' })).toThrow('OIDC_ISSUER: not a URL');
    expect(() => staffSignInConfig({ STAFF_EMAIL_SIGN_IN: 'no' })).toThrow('STAFF_EMAIL_SIGN_IN: must be true or false');
    expect(() => staffSignInConfig({ STAFF_EMAIL_SIGN_IN: 'false' })).toThrow('STAFF_EMAIL_SIGN_IN: false needs university sign-in');
  });

  it('allows plain http only for a provider on this machine', () => {
    expect(staffSignInConfig({ ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer).toBe('http://127.0.0.1:9000');
  });
});
