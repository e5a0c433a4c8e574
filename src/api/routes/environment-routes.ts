import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { inScope } from '../../domain/access';
import type { EnvironmentService } from '../../services/environment-service';
import { environmentParam } from '../route-scopes';
import { RouteTable } from '../route-table';
import {
  environmentBodySchema,
  environmentDetailSchema,
  environmentListSchema,
  environmentParamsSchema,
  environmentSchema,
  toEnvironment,
  toEnvironmentDetail,
} from '../schemas/environment-schemas';

export function createEnvironmentRouter(
  services: { environments: EnvironmentService },
  registry: OpenAPIRegistry,
) {
  const routes = new RouteTable(registry);

  routes.add(
    {
      method: 'put',
      path: '/environments/{name}',
      tag: 'environments',
      summary: 'Create an environment or update its description',
      params: environmentParamsSchema,
      body: environmentBodySchema,
      responses: {
        200: { description: 'updated', schema: environmentSchema },
        201: { description: 'created', schema: environmentSchema },
      },
      access: { role: 'admin', environment: environmentParam('name') },
    },
    async ({ params, body, actor }) => {
      const saved = await services.environments.upsert(params.name, body.description, actor);
      return {
        status: saved.created ? 201 : 200,
        body: toEnvironment(saved.environment),
        location: `/environments/${params.name}`,
      };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/environments',
      tag: 'environments',
      summary: "List environments: those the token's scope reaches",
      responses: { 200: { description: 'the environments', schema: environmentListSchema } },
      access: { role: 'viewer' },
    },
    async ({ principal }) => {
      const environments = (await services.environments.list()).filter(
        (environment) => principal && inScope(principal, environment.name),
      );
      return { status: 200, body: { environments: environments.map(toEnvironment) } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/environments/{name}',
      tag: 'environments',
      summary: 'Read an environment and its status: active or not, its agents, its task queue',
      params: environmentParamsSchema,
      responses: { 200: { description: 'the environment', schema: environmentDetailSchema } },
      problems: [404],
      access: { role: 'viewer', environment: environmentParam('name') },
    },
    async ({ params }) => ({
      status: 200,
      body: toEnvironmentDetail(await services.environments.status(params.name)),
    }),
  );

  return routes.router;
}
