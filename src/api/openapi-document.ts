import { type OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { version } from '../../package.json';

/** The OpenAPI 3.1 document of every route registered so far. */
export function createOpenApiDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'processflow API',
      version,
      description:
        'Processflows, environments and deployments; Sync Info, snapshots and executions. ' +
        'Errors are application/problem+json; path segments are URL-encoded.',
    },
  });
}
