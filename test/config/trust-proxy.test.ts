import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.ts';
import { parseTrustProxy } from '../../src/config/trust-proxy.ts';

describe('TRUST_PROXY', () => {
  it('is off unless set', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('  ')).toBe(false);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['false', false],
    ['10.0.0.5', ['10.0.0.5']],
    ['10.0.0.5, 192.168.0.0/16,::1', ['10.0.0.5', '192.168.0.0/16', '::1']],
    ['fd00::/8', ['fd00::/8']],
    ['10.0.0.0/255.0.0.0', ['10.0.0.0/255.0.0.0']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('reads %j', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected);
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    ['yes', 'not an address or CIDR: "yes"'],
    ['10.0.0.256', 'not an address or CIDR: "10.0.0.256"'],
    ['10.0.0.0/33', 'not an address or CIDR: "10.0.0.0/33"'],
    ['::/129', 'not an address or CIDR: "::/129"'],
    ['10.0.0.1,,10.0.0.2', 'not an address or CIDR: ""'],
    ['proxy.internal', 'not an address or CIDR: "proxy.internal"'],
    ['1', 'a hop count ("1") is not supported'],
  ])('refuses %j, naming the variable and the reason', (value, reason) => {
    let error: unknown;
    try {
      loadConfig({ TRUST_PROXY: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('TRUST_PROXY');
    expect((error as ConfigError).message).toContain(`TRUST_PROXY: `);
    expect((error as ConfigError).message).toContain(reason);
  });
});
