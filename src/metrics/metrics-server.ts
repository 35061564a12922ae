/**
 * Every Tandem process's operations port (METRICS_PORT): /metrics for Prometheus, /readyz and
 * /healthz. Apart from the web app's port, so metrics never face the public internet.
 *
 * The worker's /metrics also carries the Temporal SDK's own series (temporal_*): the SDK's
 * exporter listens on loopback only (TEMPORAL_SDK_METRICS_PORT) and is read through here, so
 * Prometheus scrapes one target per process.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Readiness } from './readiness.ts';

export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** checkReadiness over this process's dependencies (src/metrics/readiness.ts). */
  readiness: () => Promise<Readiness>;
  /** The SDK exporter's loopback address (host:port), for the worker. */
  sdkMetricsAddress?: string;
}

export function createRegistry(processKind: 'worker' | 'web'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processKind });
  collectDefaultMetrics({ register: registry });
  return registry;
}

async function sdkMetrics(address: string | undefined): Promise<string> {
  if (!address) return '';
  try {
    const response = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? await response.text() : '';
  } catch {
    return ''; // the SDK's series are missing from this scrape; Tandem's still answer
  }
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://metrics');
    const answer = async () => {
      if (url.pathname === '/metrics') {
        const [own, sdk] = await Promise.all([options.registry.metrics(), sdkMetrics(options.sdkMetricsAddress)]);
        response.writeHead(200, { 'content-type': options.registry.contentType });
        response.end(sdk ? `${own}\n${sdk}` : own);
      } else if (url.pathname === '/readyz') {
        const readiness = await options.readiness();
        response.writeHead(readiness.ready ? 200 : 503, { 'content-type': 'application/json' });
        response.end(JSON.stringify(readiness));
      } else if (url.pathname === '/healthz') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ok":true}');
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('not found: /metrics, /readyz, /healthz\n');
      }
    };
    answer().catch((error: Error) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`metrics failed: ${error.message}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
