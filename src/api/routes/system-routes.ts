import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { ReadinessService } from '../../services/readiness-service';
import { createOpenApiDocument } from '../openapi-document';
import { RouteTable } from '../route-table';

const healthSchema = z.object({ status: z.literal('ok') });

const dependencySchema = z.object({ ok: z.boolean(), error: z.string().optional() });

const readinessSchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    postgres: dependencySchema,
    temporal: dependencySchema,
  })
  .meta({ id: 'Readiness' });

/**
 * Liveness, readiness and the API's own description, built from every registered route on
 * first use. `draining` turns readiness off while the process shuts down.
 */
export function createSystemRouter(
  services: { readiness: ReadinessService },
  registry: OpenAPIRegistry,
  draining: () => boolean = () => false,
) {
  const routes = new RouteTable(registry);
  let document: ReturnType<typeof createOpenApiDocument> | undefined;

  routes.add(
    {
      method: 'get',
      path: '/healthz',
      tag: 'system',
      summary: 'Liveness: the API process answers',
      responses: { 200: { description: 'alive', schema: healthSchema } },
      access: { public: true },
    },
    async () => ({ status: 200, body: { status: 'ok' } }),
  );

  routes.add(
    {
      method: 'get',
      path: '/readyz',
      tag: 'system',
      summary: 'Readiness: Postgres and Temporal answer, and the process is not shutting down',
      responses: {
        200: { description: 'ready', schema: readinessSchema },
        503: { description: 'not ready: what does not answer', schema: readinessSchema },
      },
      access: { public: true },
    },
    async () => {
      const readiness = await services.readiness.check();
      const ready = readiness.ready && !draining();
      return {
        status: ready ? 200 : 503,
        body: {
          status: ready ? 'ready' : 'unavailable',
          postgres: readiness.postgres,
          temporal: readiness.temporal,
        },
      };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/openapi.json',
      tag: 'system',
      summary: 'This API as an OpenAPI 3.1 document',
      responses: { 200: { description: 'the OpenAPI document' } },
      access: { role: 'viewer' },
    },
    async () => {
      document ??= createOpenApiDocument(registry);
      return { status: 200, body: document };
    },
  );

  return routes.router;
}
