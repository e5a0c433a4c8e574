import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ResyncService } from '../../services/resync-service';
import { deploymentEnvironment, resyncEnvironment } from '../route-scopes';
import { withinRequestPart } from '../request-input';
import { RouteTable } from '../route-table';
import { deploymentIdParamsSchema } from '../schemas/common-schemas';
import {
  resyncBodySchema,
  resyncItemsQuerySchema,
  resyncItemsSchema,
  resyncParamsSchema,
  resyncPreviewBodySchema,
  resyncPreviewSchema,
  resyncSchema,
  toResync,
  toResyncItem,
  toSelection,
} from '../schemas/resync-schemas';

export function createResyncRouter(
  services: { resyncs: ResyncService },
  registry: OpenAPIRegistry,
) {
  const routes = new RouteTable(registry);
  const ofResync = resyncEnvironment(services.resyncs);

  routes.add(
    {
      method: 'post',
      path: '/deployments/{id}/resyncs',
      tag: 'resyncs',
      summary: 'Resync Failed and Unprocessed records by hand: by source ids or by filter',
      description:
        'Answers at once; the records are fetched again from the source and run through the ' +
        "deployment's current version. Needs a live agent in the environment (else 409). " +
        'Allowed also after automatic retries are exhausted.',
      params: deploymentIdParamsSchema,
      body: resyncBodySchema,
      responses: {
        200: { description: 'the request id was used before: that resync', schema: resyncSchema },
        202: { description: 'the resync started', schema: resyncSchema },
      },
      problems: [404, 409, 503],
      access: { role: 'operator', environment: deploymentEnvironment },
    },
    async ({ params, body, actor }) => {
      const { resync, repeated } = await withinRequestPart('body', () =>
        services.resyncs.start(
          params.id,
          {
            selection: toSelection(body),
            requestId: body.requestId,
            requestedBy: body.requestedBy,
          },
          actor,
        ),
      );
      return {
        status: repeated ? 200 : 202,
        body: toResync(resync),
        location: `/resyncs/${resync.id}`,
      };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/deployments/{id}/resyncs/preview',
      tag: 'resyncs',
      summary: 'Count the records a selection would resync, without running anything',
      params: deploymentIdParamsSchema,
      body: resyncPreviewBodySchema,
      responses: { 200: { description: 'what it would take', schema: resyncPreviewSchema } },
      problems: [404],
      access: { role: 'operator', environment: deploymentEnvironment },
    },
    async ({ params, body }) => ({
      status: 200,
      body: await services.resyncs.preview(params.id, toSelection(body)),
    }),
  );

  routes.add(
    {
      method: 'get',
      path: '/resyncs/{id}',
      tag: 'resyncs',
      summary: "A resync's progress: records pending, succeeded and failed",
      params: resyncParamsSchema,
      responses: { 200: { description: 'the resync', schema: resyncSchema } },
      problems: [404],
      access: { role: 'viewer', environment: ofResync },
    },
    async ({ params }) => ({
      status: 200,
      body: toResync(await services.resyncs.get(params.id)),
    }),
  );

  routes.add(
    {
      method: 'get',
      path: '/resyncs/{id}/items',
      tag: 'resyncs',
      summary: "A resync's records with their outcome, in source-id order",
      params: resyncParamsSchema,
      query: resyncItemsQuerySchema,
      responses: { 200: { description: 'one page of records', schema: resyncItemsSchema } },
      problems: [404],
      access: { role: 'viewer', environment: ofResync },
    },
    async ({ params, query }) => {
      const found = await services.resyncs.items(params.id, query);
      return {
        status: 200,
        body: { items: found.items.map(toResyncItem), nextAfter: found.nextAfter },
      };
    },
  );

  return routes.router;
}
