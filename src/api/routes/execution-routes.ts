import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ExecutionService } from '../../services/execution-service';
import type { SyncInfoService } from '../../services/sync-info-service';
import { deploymentEnvironment, executionEnvironment } from '../route-scopes';
import { RouteTable } from '../route-table';
import { deploymentIdParamsSchema } from '../schemas/common-schemas';
import {
  executeQuerySchema,
  executionListQuerySchema,
  executionListSchema,
  executionParamsSchema,
  executionSchema,
  executionSnapshotsSchema,
  toExecution,
} from '../schemas/execution-schemas';
import { executionSnapshotsQuerySchema, toSnapshot } from '../schemas/snapshot-schemas';

/** Who started runs that come in through the API. */
const API_TRIGGER = 'api';

export function createExecutionRouter(
  services: { executions: ExecutionService; syncInfo: SyncInfoService },
  registry: OpenAPIRegistry,
) {
  const routes = new RouteTable(registry);
  const ofExecution = executionEnvironment(services.executions);

  routes.add(
    {
      method: 'post',
      path: '/deployments/{id}/executions',
      tag: 'executions',
      summary: 'Execute a deployment now',
      description:
        'Answers at once with the running execution. Needs a live agent in the environment: ' +
        'without one the answer is 409 and says so. An incremental source lists only the ' +
        'records changed since the last completed run, unless `full=true`.',
      params: deploymentIdParamsSchema,
      query: executeQuerySchema,
      responses: { 202: { description: 'the execution started', schema: executionSchema } },
      problems: [404, 409, 503],
      access: { role: 'operator', environment: deploymentEnvironment },
    },
    async ({ params, query, actor }) => {
      const execution = await services.executions.executeNow(params.id, API_TRIGGER, actor, {
        full: query.full,
      });
      return { status: 202, body: toExecution(execution), location: `/executions/${execution.id}` };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/deployments/{id}/executions',
      tag: 'executions',
      summary: "A deployment's executions, newest first",
      params: deploymentIdParamsSchema,
      query: executionListQuerySchema,
      responses: { 200: { description: 'the executions', schema: executionListSchema } },
      problems: [404],
      access: { role: 'viewer', environment: deploymentEnvironment },
    },
    async ({ params, query }) => {
      const found = await services.executions.list(params.id, query.limit + 1, query.before);
      const page = found.slice(0, query.limit);
      const nextBefore = found.length > query.limit ? page[page.length - 1].id : null;
      return { status: 200, body: { executions: page.map(toExecution), nextBefore } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/executions/{id}',
      tag: 'executions',
      summary: 'Read an execution: status and record totals',
      params: executionParamsSchema,
      responses: { 200: { description: 'the execution', schema: executionSchema } },
      problems: [404],
      access: { role: 'viewer', environment: ofExecution },
    },
    async ({ params }) => ({
      status: 200,
      body: toExecution(await services.executions.get(params.id)),
    }),
  );

  routes.add(
    {
      method: 'post',
      path: '/executions/{id}/cancel',
      tag: 'executions',
      summary: 'Cancel a running execution; records it has not finished stay Unprocessed',
      params: executionParamsSchema,
      responses: {
        202: { description: 'cancellation requested', schema: executionSchema },
      },
      problems: [404, 409],
      access: { role: 'operator', environment: ofExecution },
    },
    async ({ params, actor }) => ({
      status: 202,
      body: toExecution(await services.executions.cancel(params.id, actor)),
    }),
  );

  routes.add(
    {
      method: 'get',
      path: '/executions/{id}/snapshots',
      tag: 'executions',
      summary: "An execution's snapshots, in source-id order",
      params: executionParamsSchema,
      query: executionSnapshotsQuerySchema,
      responses: { 200: { description: 'the snapshots', schema: executionSnapshotsSchema } },
      problems: [404],
      access: { role: 'viewer', environment: ofExecution },
    },
    async ({ params, query }) => {
      const found = await services.syncInfo.executionSnapshots(params.id, query.limit, query.after);
      return {
        status: 200,
        body: {
          execution: toExecution(found.execution),
          snapshots: found.snapshots.map(toSnapshot),
          nextAfter: found.nextAfter,
        },
      };
    },
  );

  return routes.router;
}
