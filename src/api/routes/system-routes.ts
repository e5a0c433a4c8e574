import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { createOpenApiDocument } from '../openapi-document';
import { RouteTable } from '../route-table';

const healthSchema = z.object({ status: z.literal('ok') });

/** Liveness and the API's own description, built from every registered route on first use. */
export function createSystemRouter(registry: OpenAPIRegistry) {
  const routes = new RouteTable(registry);
  let document: ReturnType<typeof createOpenApiDocument> | undefined;

  routes.add(
    {
      method: 'get',
      path: '/healthz',
      tag: 'system',
      summary: 'Liveness: the API process answers',
      responses: { 200: { description: 'alive', schema: healthSchema } },
    },
    async () => ({ status: 200, body: { status: 'ok' } }),
  );

  routes.add(
    {
      method: 'get',
      path: '/openapi.json',
      tag: 'system',
      summary: 'This API as an OpenAPI 3.1 document',
      responses: { 200: { description: 'the OpenAPI document' } },
    },
    async () => {
      document ??= createOpenApiDocument(registry);
      return { status: 200, body: document };
    },
  );

  return routes.router;
}
