/**
 * `npm run cluster`: a real Temporal cluster on this machine (src/dev/temporal-cluster.ts):
 * builds the server and its SQL tool into .tools/bin once (about three minutes), sets up
 * persistence and SQL visibility on Postgres, starts the server with several history shards,
 * creates the namespace and registers Tandem's search attributes and schedule. Runs until Ctrl-C.
 *
 *   TEMPORAL_CLUSTER_DATABASE_URL  Postgres server for Temporal's two databases (postgres://postgres@127.0.0.1:5432)
 *   TEMPORAL_CLUSTER_PORT          frontend gRPC port (7433); the other services use the next few
 *   TEMPORAL_CLUSTER_SHARDS        history shards (4)
 * Then point Tandem at it: TEMPORAL_ADDRESS=127.0.0.1:7433 npm run worker (and tandem web).
 */
import path from 'node:path';
import { loadConfig } from '../src/config/env.ts';
import { loadPolicyFile } from '../src/config/policy-file.ts';
import { ensureClusterBinaries, setupClusterPersistence, startTemporalCluster, TEMPORAL_SERVER_VERSION } from '../src/dev/temporal-cluster.ts';
import { connectClient } from '../src/temporal/connection.ts';
import { prepareTemporal } from '../src/temporal/prepare-temporal.ts';

const server = new URL(process.env.TEMPORAL_CLUSTER_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432');
const port = Number(process.env.TEMPORAL_CLUSTER_PORT ?? 7433);
const shards = Number(process.env.TEMPORAL_CLUSTER_SHARDS ?? 4);
const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${port}` });

const binaries = ensureClusterBinaries();
const postgres = {
  host: server.hostname,
  port: Number(server.port || 5432),
  user: decodeURIComponent(server.username || 'postgres'),
  password: decodeURIComponent(server.password),
  database: 'temporal',
  visibilityDatabase: 'temporal_visibility',
};
await setupClusterPersistence(binaries.sqlTool, postgres);
const cluster = await startTemporalCluster({ binaries, postgres, dir: path.join(config.dataDir, 'cluster'), port, historyShards: shards });
const client = await connectClient(config.temporal);
for (const line of await prepareTemporal(client, {
  namespace: config.temporal.namespace,
  retentionDays: config.temporal.retentionDays,
  policy: loadPolicyFile(config.policyFile),
  taskQueue: config.temporal.taskQueue,
}))
  console.log(line);
await client.connection.close();
console.log(
  `Temporal ${TEMPORAL_SERVER_VERSION} cluster at ${cluster.address} (${shards} history shards, Postgres ${postgres.host}:${postgres.port}: ${postgres.database}, ${postgres.visibilityDatabase}). Ctrl-C stops it.`,
);
await new Promise<void>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
});
await cluster.stop();
