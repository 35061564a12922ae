import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/env.ts';

describe('configuration', () => {
  it('runs on embedded defaults', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/tandem');
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'tandem' });
    expect(config.temporal.tls).toBeUndefined();
  });

  it.each([
    ['DATABASE_URL', 'mysql://x/y', 'DATABASE_URL: must start with postgres:// or postgresql:// (got "mysql://")'],
    ['TEMPORAL_ADDRESS', 'localhost', 'TEMPORAL_ADDRESS: must be host:port, for example 127.0.0.1:7233 (got "localhost")'],
    ['WEB_PORT', '70000', 'WEB_PORT: must be a port number 0-65535 (got "70000")'],
    ['SMTP_URL', 'not a url', 'SMTP_URL: not a URL (got "not a url")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    ['POLICY_FILE', '/nope.json', 'POLICY_FILE: file not found: /nope.json'],
  ])('names %s when it is malformed', (variable, value, message) => {
    const error = (() => {
      try {
        loadConfig({ [variable]: value });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(message);
  });

  it('wants a TLS certificate and key together', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: 'package.json' })).toThrow('TEMPORAL_TLS_KEY: TLS client certificate and key must be given together');
  });
});
