import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { metricsRegistry } from '../../metrics/metrics-registry';
import { metricsText } from '../../metrics/metrics-text';

/**
 * `GET /metrics` in Prometheus text format: the API process's own metrics and the ledger's
 * gauges (records by status, retry lifecycles, runs in progress), read at each scrape. Not a
 * JSON route, so it is mounted here rather than through RouteTable, and described by hand.
 */
export function createMetricsRouter(registry: OpenAPIRegistry) {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const text = await metricsText(metricsRegistry);
    res.status(200).type(metricsRegistry.contentType).send(text);
  });

  registry.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Metrics in Prometheus text format',
    description:
      'Records by status and last attempt kind, retry lifecycles waiting and exhausted, runs in ' +
      'progress, and the process metrics of the API. Workers serve their own on METRICS_PORT.' +
      '\n\nNeeds a token of role viewer or above that reaches every environment: the figures ' +
      'span all of them.',
    tags: ['system'],
    security: [{ bearerToken: [] }],
    'x-required-role': 'viewer',
    'x-token-scope': 'every-environment',
    responses: {
      200: {
        description: 'the metrics',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
    },
  });
  return router;
}
