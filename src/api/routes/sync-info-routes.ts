import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { SyncInfoService } from '../../services/sync-info-service';
import { deploymentEnvironment } from '../route-scopes';
import { RouteTable } from '../route-table';
import { deploymentIdParamsSchema } from '../schemas/common-schemas';
import {
  recordSnapshotsParamsSchema,
  recordSnapshotsQuerySchema,
  recordSnapshotsSchema,
  toSnapshot,
} from '../schemas/snapshot-schemas';
import {
  syncInfoQuerySchema,
  syncInfoSchema,
  toSyncInfo,
  toSyncInfoRecord,
} from '../schemas/sync-info-schemas';

export function createSyncInfoRouter(
  services: { syncInfo: SyncInfoService },
  registry: OpenAPIRegistry,
) {
  const routes = new RouteTable(registry);

  routes.add(
    {
      method: 'get',
      path: '/deployments/{id}/sync-info',
      tag: 'sync info',
      summary: "A deployment's Sync Info: one row per record, in source-id order",
      description:
        'Readable while the environment is inactive; the header shows its status. Page with ' +
        '`after`: each answer gives the `nextAfter` of the following page.',
      params: deploymentIdParamsSchema,
      query: syncInfoQuerySchema,
      responses: { 200: { description: 'one page of Sync Info', schema: syncInfoSchema } },
      problems: [404],
      access: { role: 'viewer', environment: deploymentEnvironment },
    },
    async ({ params, query }) => {
      const info = await services.syncInfo.syncInfo(params.id, query);
      return { status: 200, body: toSyncInfo(info) };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/deployments/{id}/records/{sourceId}/snapshots',
      tag: 'sync info',
      summary: "A record's snapshots, newest first: one per attempt, of every kind",
      params: recordSnapshotsParamsSchema,
      query: recordSnapshotsQuerySchema,
      responses: {
        200: { description: "the record's Sync Info and snapshots", schema: recordSnapshotsSchema },
      },
      problems: [404],
      access: { role: 'viewer', environment: deploymentEnvironment },
    },
    async ({ params, query }) => {
      const found = await services.syncInfo.recordSnapshots(
        params.id,
        params.sourceId,
        query.limit,
        query.before,
      );
      return {
        status: 200,
        body: {
          record: toSyncInfoRecord(found.record),
          snapshots: found.snapshots.map(toSnapshot),
          nextBefore: found.nextBefore,
        },
      };
    },
  );

  return routes.router;
}
