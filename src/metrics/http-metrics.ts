/** The web app's request metrics: count and duration by method, route pattern and status. */
import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

export function registerHttpMetrics(web: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: 'tandem_http_request_duration_seconds',
    help: 'Web requests by method, route pattern (never the path: links carry tokens) and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  web.addHook('onResponse', async (request, reply) => {
    duration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}
