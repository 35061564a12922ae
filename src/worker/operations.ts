/**
 * The worker process's operations side: the Temporal runtime (logs into Tandem's logger, the
 * SDK's Prometheus exporter on loopback) and the operations port (/metrics, /readyz, /healthz).
 * Shared by the production worker and the tests' worker processes.
 */
import { DefaultLogger, Runtime, type LogLevel, type NativeConnection } from '@temporalio/worker';
import { pingDatabase } from '../../db/connection.ts';
import type { AppContext } from '../app-context.ts';
import type { TandemConfig } from '../config/env.ts';
import type { Logger } from '../logger.ts';
import { createRegistry, startMetricsServer } from '../metrics/metrics-server.ts';
import { checkReadiness } from '../metrics/readiness.ts';
import { registerTandemMetrics } from '../metrics/tandem-metrics.ts';

export function sdkMetricsAddress(config: TandemConfig): string {
  return `127.0.0.1:${config.metrics.sdkPort}`;
}

export function installWorkerRuntime(config: TandemConfig, log: Logger, { shutdownSignals = ['SIGINT', 'SIGTERM'] as NodeJS.Signals[] } = {}): void {
  Runtime.install({
    logger: new DefaultLogger(config.logLevel === 'silent' ? 'ERROR' : (config.logLevel.toUpperCase() as LogLevel), (entry) => {
      const level = entry.level.toLowerCase() as 'info';
      (log[level] ?? log.info).call(log, entry.meta ?? {}, entry.message);
    }),
    shutdownSignals,
    telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetricsAddress(config), countersTotalSuffix: true } } },
  });
}

/** Postgres answers a query; Temporal knows the namespace. */
export function workerReadiness(app: Pick<AppContext, 'db' | 'config'>, connection: NativeConnection) {
  return () =>
    checkReadiness({
      postgres: () => pingDatabase(app.db),
      temporal: () => connection.workflowService.describeNamespace({ namespace: app.config.temporal.namespace }),
    });
}

export async function startWorkerOperations(app: Pick<AppContext, 'db' | 'config'>, connection: NativeConnection) {
  const registry = createRegistry('worker');
  registerTandemMetrics(registry, app.db);
  return startMetricsServer({
    host: app.config.metrics.host,
    port: app.config.metrics.port,
    registry,
    sdkMetricsAddress: sdkMetricsAddress(app.config),
    readiness: workerReadiness(app, connection),
  });
}
