/**
 * A real Temporal cluster on this machine, for drills and for trying Tandem as it runs in
 * production: the Temporal server (v1.30.4, built from Go into .tools/bin once, a few minutes),
 * persistence and SQL visibility on Postgres (plugin postgres12), several history shards.
 * Unlike `temporal server start-dev` (SQLite, one shard) it can be killed and restarted like a
 * production server, and Tandem must create its namespace and search attributes itself.
 *
 * The database schemas come with the server's Go module (schema/postgresql/v12 in the module
 * cache, which `go install` fills).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { TOOLS_BIN } from '../temporal/cli-binary.ts';
import { isTemporalReachable } from './temporal-dev-server.ts';

export const TEMPORAL_SERVER_VERSION = 'v1.30.4';
const SERVER_MODULE = `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`;
const SQL_TOOL_MODULE = `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`;

export interface ClusterBinaries {
  server: string;
  sqlTool: string;
}

function goBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();
  if (!found)
    throw new Error('Go is needed to build the Temporal server (https://go.dev/dl); or set TEMPORAL_SERVER and TEMPORAL_SQL_TOOL to binaries you built');
  return found;
}

/** The server and its SQL tool, built into .tools/bin when missing (go install names them `server` and `sql`). */
export function ensureClusterBinaries(log: (line: string) => void = console.error): ClusterBinaries {
  const server = process.env.TEMPORAL_SERVER ?? path.join(TOOLS_BIN, 'temporal-server');
  const sqlTool = process.env.TEMPORAL_SQL_TOOL ?? path.join(TOOLS_BIN, 'temporal-sql-tool');
  for (const [binary, module, built] of [
    [server, SERVER_MODULE, 'server'],
    [sqlTool, SQL_TOOL_MODULE, 'sql'],
  ] as const) {
    if (existsSync(binary)) continue;
    mkdirSync(TOOLS_BIN, { recursive: true });
    log(`Building ${module} into ${TOOLS_BIN}; about three minutes, once.`);
    execFileSync(goBinary(), ['install', module], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOBIN: TOOLS_BIN } });
    renameSync(path.join(TOOLS_BIN, built), binary);
  }
  return { server, sqlTool };
}

/** schema/postgresql/v12 of the server's module, in the Go module cache. */
export function postgresSchemaDir(): string {
  const cache = execFileSync(goBinary(), ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const dir = path.join(cache, `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`, 'schema/postgresql/v12');
  if (!existsSync(dir))
    throw new Error(
      `Temporal's Postgres schemas are not in the Go module cache (${dir}); run: go mod download go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`,
    );
  return dir;
}

export interface ClusterPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Persistence and visibility databases (made when missing). */
  database: string;
  visibilityDatabase: string;
}

async function databaseExists(db: ClusterPostgres, name: string): Promise<boolean> {
  const client = new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password || undefined, database: 'postgres' });
  await client.connect();
  try {
    return (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

/** Creates the two databases when missing and brings both schemas to the server's version (idempotent). */
export async function setupClusterPersistence(sqlTool: string, db: ClusterPostgres, log: (line: string) => void = console.error): Promise<void> {
  const schemas = postgresSchemaDir();
  for (const [database, schema] of [
    [db.database, 'temporal'],
    [db.visibilityDatabase, 'visibility'],
  ] as const) {
    const base = [
      '--plugin',
      'postgres12',
      '--endpoint',
      db.host,
      '--port',
      String(db.port),
      '--user',
      db.user,
      ...(db.password ? ['--password', db.password] : []),
      '--database',
      database,
    ];
    const run = (args: string[]) => execFileSync(sqlTool, [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (!(await databaseExists(db, database))) {
      log(`Creating database ${database} (${schema} schema)`);
      run(['create-database']);
      run(['setup-schema', '-v', '0.0']);
    }
    run(['update-schema', '-d', path.join(schemas, schema, 'versioned')]);
  }
}

export interface ClusterOptions {
  binaries: ClusterBinaries;
  postgres: ClusterPostgres;
  /** Config, dynamic config and logs go here. */
  dir: string;
  /** The frontend's gRPC port; the other services use the next few (see config below). */
  port: number;
  historyShards?: number;
}

export interface TemporalCluster {
  address: string;
  process(): ChildProcess;
  /** Kills the server process outright (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same databases. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function clusterConfig(options: ClusterOptions): string {
  const { postgres: db, port } = options;
  const store = (database: string, maxConns: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: "${database}"
        connectAddr: "${db.host}:${db.port}"
        connectProtocol: "tcp"
        user: "${db.user}"
        password: "${db.password}"
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (grpc: number, membership: number, extra = '') => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${extra}`;
  return `# Written by src/dev/temporal-cluster.ts
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${options.historyShards ?? 4}
  datastores:
    postgres-default:${store(db.database, 20)}
    postgres-visibility:${store(db.visibilityDatabase, 5)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
  metrics:
    prometheus:
      framework: "tally"
      timerType: "histogram"
      listenAddress: "127.0.0.1:${port + 100}"
services:
  frontend:${service(port, port + 50, `\n      httpPort: ${port + 10}`)}
  history:${service(port + 1, port + 51)}
  matching:${service(port + 2, port + 52)}
  worker:${service(port + 3, port + 53)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${port}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "${path.join(options.dir, 'dynamicconfig.yaml')}"
  pollInterval: "10s"
`;
}

export async function startTemporalCluster(options: ClusterOptions, readyTimeoutMs = 120_000): Promise<TemporalCluster> {
  mkdirSync(options.dir, { recursive: true });
  const configFile = path.join(options.dir, 'config.yaml');
  writeFileSync(configFile, clusterConfig(options));
  // Tandem's workflows use the default limits; a list query right after a start should see it.
  writeFileSync(path.join(options.dir, 'dynamicconfig.yaml'), 'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n');
  const address = `127.0.0.1:${options.port}`;
  let child: ChildProcess | undefined;
  let tail = '';

  async function start(): Promise<void> {
    child = spawn(options.binaries.server, ['--config-file', configFile, '--allow-no-auth', 'start'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-8_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + readyTimeoutMs;
    while (!(await isTemporalReachable(address))) {
      if (child.exitCode !== null) throw new Error(`the Temporal server exited (${child.exitCode}):\n${tail.trim()}`);
      if (Date.now() > deadline) throw new Error(`the Temporal server did not answer on ${address} within ${readyTimeoutMs / 1000} s:\n${tail.trim()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  async function halt(signal: NodeJS.Signals): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill(signal);
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000))]);
    if (!done) {
      running.kill('SIGKILL');
      await exited;
    }
  }
  await start();
  return { address, process: () => child!, kill: () => halt('SIGKILL'), start, stop: () => halt('SIGTERM') };
}
