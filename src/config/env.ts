/**
 * Every setting Tandem reads from the environment, validated once at start-up.
 *
 * A bad value stops start-up with one line that names the variable and what is wrong
 * (ConfigError), so an operator never has to guess which of twenty settings broke.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.ts';
import { staffSignInConfig, type StaffSignInConfig } from './staff-sign-in.ts';
import { DEFAULT_WORKFLOW_CACHE_SIZE } from '../worker/process-settings.ts';

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, reason: string) {
    super(`${variable}: ${reason}`);
    this.variable = variable;
    this.name = 'ConfigError';
  }
}

export interface TemporalTlsConfig {
  certPath?: string;
  keyPath?: string;
  caPath?: string;
  serverName?: string;
}

export interface TandemConfig {
  databaseUrl: string;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    tls?: TemporalTlsConfig;
    apiKey?: string;
    /** TEMPORAL_NAMESPACE_RETENTION_DAYS: how long closed workflows are kept, when `setup-temporal` creates the namespace. */
    retentionDays: number;
  };
  smtpUrl: string;
  smtp: {
    /** Messages per second handed to the relay, across the pool. */
    ratePerSecond: number;
    maxConnections: number;
  };
  mailFrom: string;
  publicUrl: string;
  web: { host: string; port: number };
  /** TRUST_PROXY: reverse proxies whose X-Forwarded-For names the client (src/config/trust-proxy.ts); false by default. */
  trustProxy: TrustProxy;
  policyFile: string;
  dataDir: string;
  /** Signs action links and sessions: TANDEM_SECRET's list, comma-joined, the signing one first. */
  secret: string;
  /** TANDEM_DATA_KEY: 32-byte base64 keys, comma-joined, newest first; encrypt feedback at rest. Unset (dev only): derived from `secret` (src/security/data-encryption.ts). */
  dataKey?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The operations port of each process: /metrics, /readyz, /healthz (src/metrics/metrics-server.ts). */
  metrics: {
    host: string;
    /** METRICS_PORT; 0 picks a free port (tests). */
    port: number;
    /** TEMPORAL_SDK_METRICS_PORT: where the worker's Temporal SDK exporter listens, on loopback only. */
    sdkPort: number;
  };
  /** TANDEM_WORKER_DRAIN_SECONDS: on SIGTERM the worker finishes what it holds for at most this long, then leaves the rest to its peers. */
  workerDrainSeconds: number;
  /** TANDEM_WORKFLOW_CACHE_SIZE: cycles a worker keeps in memory between their tasks (src/worker/process-settings.ts). */
  workflowCacheSize: number;
  /** Bearer token for the enrollment API; unset disables the API. */
  apiToken?: string;
  /** How many cycle starts an enrollment keeps in flight. */
  enrollConcurrency: number;
  /** The bootstrap coordinator, upserted at start; unset: the policy's first coordinator. */
  coordinator?: { email: string; name: string };
  /** STAFF_EMAIL_SIGN_IN and OIDC_*: how staff sign in (src/config/staff-sign-in.ts). */
  staffSignIn: StaffSignInConfig;
}

type Env = Record<string, string | undefined>;

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export const DEFAULTS = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tandem',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'tandem',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  MAIL_FROM: 'Tandem Mentoring <mentoring@tandem.localhost>',
  PUBLIC_URL: 'http://localhost:3000',
  WEB_HOST: '127.0.0.1',
  WEB_PORT: '3000',
  POLICY_FILE: path.join(PROJECT_ROOT, 'policy/default.json'),
  TANDEM_DATA_DIR: path.join(PROJECT_ROOT, '.tandem'),
  LOG_LEVEL: 'info',
  SMTP_RATE_PER_SECOND: '10',
  SMTP_MAX_CONNECTIONS: '3',
  METRICS_HOST: '127.0.0.1',
  METRICS_PORT: '9464',
  TEMPORAL_SDK_METRICS_PORT: '9465',
  TANDEM_WORKER_DRAIN_SECONDS: '30',
  TANDEM_WORKFLOW_CACHE_SIZE: String(DEFAULT_WORKFLOW_CACHE_SIZE),
  TEMPORAL_NAMESPACE_RETENTION_DAYS: '30',
} as const;

function read(env: Env, name: keyof typeof DEFAULTS): string {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? DEFAULTS[name] : value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function url(name: string, value: string, protocols: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `not a URL (got "${value}")`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got "${parsed.protocol}//")`);
  }
  return value;
}

function port(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(name, `must be a port number 0-65535 (got "${value}")`);
  }
  return n;
}

function positiveInteger(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) {
    throw new ConfigError(name, `must be a whole number from 1 to ${max} (got "${value}")`);
  }
  return n;
}

/** The SDK needs room for two workflows at least (a task and the one it evicts). */
function workflowCacheSize(value: string): number {
  const n = positiveInteger('TANDEM_WORKFLOW_CACHE_SIZE', value, 1_000_000);
  if (n < 2) throw new ConfigError('TANDEM_WORKFLOW_CACHE_SIZE', `must be a whole number from 2 to 1000000 (got "${value}")`);
  return n;
}

function hostPort(name: string, value: string): string {
  if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(value)) {
    throw new ConfigError(name, `must be host:port, for example 127.0.0.1:7233 (got "${value}")`);
  }
  return value;
}

function existingFile(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && !existsSync(value)) {
    throw new ConfigError(name, `file not found: ${value}`);
  }
  return value;
}

/**
 * TANDEM_SECRET signs every link Tandem emails: a comma-separated list, the first signs and
 * every one verifies (rotation: put the new one first, drop the old once its links expired).
 * Production (NODE_ENV=production) must set it; on a dev machine a random one is kept in the
 * data dir so links survive restarts. Kept as the comma-joined list (src/security/action-tokens.ts).
 */
function secret(env: Env, dataDir: string, production: boolean): string {
  const given = optional(env, 'TANDEM_SECRET');
  if (given !== undefined) {
    const list = given.split(',').map((s) => s.trim());
    list.forEach((one, i) => {
      const which = list.length > 1 ? `entry ${i + 1} of ${list.length}` : 'it';
      if (one.length < 32)
        throw new ConfigError('TANDEM_SECRET', `${which} must be at least 32 characters (got ${one.length}); a list is comma-separated, newest first`);
      if (/\s/.test(one)) throw new ConfigError('TANDEM_SECRET', `${which} contains a space; a list is comma-separated, newest first`);
    });
    if (new Set(list).size !== list.length) throw new ConfigError('TANDEM_SECRET', 'lists the same secret twice');
    return list.join(',');
  }
  if (production)
    throw new ConfigError('TANDEM_SECRET', 'must be set in production (NODE_ENV=production): 32+ characters, for example: openssl rand -base64 32');
  const file = path.join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  writeFileSync(file, generated, { mode: 0o600 });
  return generated;
}

/**
 * TANDEM_DATA_KEY: comma-separated 32-byte base64 keys, newest first (src/security/data-encryption.ts).
 * Required in production, where a key derived from the secret would be lost with a secret rotation.
 */
function dataKeys(env: Env, production: boolean): string | undefined {
  const given = optional(env, 'TANDEM_DATA_KEY');
  if (given === undefined) {
    if (production)
      throw new ConfigError('TANDEM_DATA_KEY', 'must be set in production (NODE_ENV=production): 32 bytes in base64, for example: openssl rand -base64 32');
    return undefined;
  }
  const list = given.split(',').map((k) => k.trim());
  list.forEach((key, i) => {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length !== 32) {
      const which = list.length > 1 ? `entry ${i + 1} of ${list.length}` : 'it';
      throw new ConfigError(
        'TANDEM_DATA_KEY',
        `${which} must be 32 bytes in base64 (for example: openssl rand -base64 32); a list is comma-separated, newest first`,
      );
    }
  });
  if (new Set(list).size !== list.length) throw new ConfigError('TANDEM_DATA_KEY', 'lists the same key twice');
  return list.join(',');
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env): TandemConfig {
  const logLevel = read(env, 'LOG_LEVEL');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }
  const mailFrom = read(env, 'MAIL_FROM');
  if (!/^[^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>$|^[^<>\s@]+@[^<>\s@]+$/.test(mailFrom)) {
    throw new ConfigError('MAIL_FROM', `must be an address like "Dept Mentoring <mentoring@example.edu>" (got "${mailFrom}")`);
  }
  const tls: TemporalTlsConfig = {
    certPath: existingFile('TEMPORAL_TLS_CERT', optional(env, 'TEMPORAL_TLS_CERT')),
    keyPath: existingFile('TEMPORAL_TLS_KEY', optional(env, 'TEMPORAL_TLS_KEY')),
    caPath: existingFile('TEMPORAL_TLS_CA', optional(env, 'TEMPORAL_TLS_CA')),
    serverName: optional(env, 'TEMPORAL_TLS_SERVER_NAME'),
  };
  if (Boolean(tls.certPath) !== Boolean(tls.keyPath)) {
    throw new ConfigError(tls.certPath ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT', 'TLS client certificate and key must be given together');
  }
  const tlsWanted = optional(env, 'TEMPORAL_TLS') === 'true' || Object.values(tls).some(Boolean);
  const apiKey = optional(env, 'TEMPORAL_API_KEY');
  const policyFile = read(env, 'POLICY_FILE');
  existingFile('POLICY_FILE', policyFile);

  const dataDir = read(env, 'TANDEM_DATA_DIR');
  const apiToken = optional(env, 'TANDEM_API_TOKEN');
  if (apiToken !== undefined && apiToken.length < 32) throw new ConfigError('TANDEM_API_TOKEN', `must be at least 32 characters (got ${apiToken.length})`);
  const enrollConcurrency = Number(optional(env, 'TANDEM_ENROLL_CONCURRENCY') ?? 64);
  if (!Number.isInteger(enrollConcurrency) || enrollConcurrency < 1 || enrollConcurrency > 1000) {
    throw new ConfigError('TANDEM_ENROLL_CONCURRENCY', `must be a whole number from 1 to 1000 (got "${optional(env, 'TANDEM_ENROLL_CONCURRENCY')}")`);
  }
  const production = optional(env, 'NODE_ENV') === 'production';
  const dataKey = dataKeys(env, production);
  const coordinator = bootstrapCoordinator(env);
  const trustProxy = parseTrustProxy(optional(env, 'TRUST_PROXY'));
  if (typeof trustProxy === 'object' && !Array.isArray(trustProxy)) throw new ConfigError('TRUST_PROXY', trustProxy.error);
  return {
    databaseUrl: url('DATABASE_URL', read(env, 'DATABASE_URL'), ['postgres:', 'postgresql:']),
    temporal: {
      address: hostPort('TEMPORAL_ADDRESS', read(env, 'TEMPORAL_ADDRESS')),
      namespace: read(env, 'TEMPORAL_NAMESPACE'),
      taskQueue: read(env, 'TEMPORAL_TASK_QUEUE'),
      tls: tlsWanted || apiKey ? tls : undefined,
      apiKey,
      retentionDays: positiveInteger('TEMPORAL_NAMESPACE_RETENTION_DAYS', read(env, 'TEMPORAL_NAMESPACE_RETENTION_DAYS'), 3650),
    },
    smtpUrl: url('SMTP_URL', read(env, 'SMTP_URL'), ['smtp:', 'smtps:']),
    smtp: {
      ratePerSecond: positiveInteger('SMTP_RATE_PER_SECOND', read(env, 'SMTP_RATE_PER_SECOND'), 1000),
      maxConnections: positiveInteger('SMTP_MAX_CONNECTIONS', read(env, 'SMTP_MAX_CONNECTIONS'), 50),
    },
    mailFrom,
    publicUrl: url('PUBLIC_URL', read(env, 'PUBLIC_URL'), ['http:', 'https:']).replace(/\/$/, ''),
    web: { host: read(env, 'WEB_HOST'), port: port('WEB_PORT', read(env, 'WEB_PORT')) },
    metrics: {
      host: read(env, 'METRICS_HOST'),
      port: port('METRICS_PORT', read(env, 'METRICS_PORT')),
      sdkPort: port('TEMPORAL_SDK_METRICS_PORT', read(env, 'TEMPORAL_SDK_METRICS_PORT')),
    },
    workerDrainSeconds: positiveInteger('TANDEM_WORKER_DRAIN_SECONDS', read(env, 'TANDEM_WORKER_DRAIN_SECONDS'), 3600),
    workflowCacheSize: workflowCacheSize(read(env, 'TANDEM_WORKFLOW_CACHE_SIZE')),
    trustProxy,
    policyFile,
    dataDir,
    secret: secret(env, dataDir, production),
    dataKey,
    logLevel: logLevel as TandemConfig['logLevel'],
    apiToken,
    enrollConcurrency,
    coordinator,
    staffSignIn: staffSignInConfig(env),
  };
}

/** TANDEM_COORDINATOR_EMAIL (and optionally _NAME): the staff account that can always sign in. */
function bootstrapCoordinator(env: Env): TandemConfig['coordinator'] {
  const email = optional(env, 'TANDEM_COORDINATOR_EMAIL');
  const name = optional(env, 'TANDEM_COORDINATOR_NAME');
  if (email === undefined) {
    if (name !== undefined) throw new ConfigError('TANDEM_COORDINATOR_EMAIL', 'must be set when TANDEM_COORDINATOR_NAME is');
    return undefined;
  }
  if (!/^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/.test(email)) {
    throw new ConfigError('TANDEM_COORDINATOR_EMAIL', `must be an email address like coordinator@example.edu (got "${email}")`);
  }
  if (name !== undefined && (name.length > 200 || /[\r\n<>]/.test(name))) {
    throw new ConfigError('TANDEM_COORDINATOR_NAME', 'must be a plain name of at most 200 characters');
  }
  return { email: email.toLowerCase(), name: name ?? 'Mentoring Coordinator' };
}
