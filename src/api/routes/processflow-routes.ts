import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Actor } from '../../domain/access';
import { InputError } from '../../domain/errors';
import type { ProcessflowDefinition } from '../../domain/processflow-definition';
import type { ProcessflowService } from '../../services/processflow-service';
import { withinRequestPart } from '../request-input';
import { RouteTable } from '../route-table';
import {
  definitionBodySchema,
  processflowListSchema,
  processflowNameParamsSchema,
  processflowVersionParamsSchema,
  processflowVersionSchema,
  processflowVersionsSchema,
  savedVersionSchema,
  toProcessflowList,
  toProcessflowVersion,
  toProcessflowVersions,
  toSavedVersion,
} from '../schemas/processflow-schemas';

const savedResponses = {
  200: { description: 'the same definition is already saved', schema: savedVersionSchema },
  201: { description: 'saved as a new version', schema: savedVersionSchema },
};

export function createProcessflowRouter(
  services: { processflows: ProcessflowService },
  registry: OpenAPIRegistry,
) {
  const routes = new RouteTable(registry);
  const save = async (definition: ProcessflowDefinition, actor: Actor) => {
    const saved = await withinRequestPart('body', () =>
      services.processflows.save(definition, actor),
    );
    const { name, version } = saved.version;
    return {
      status: saved.created ? 201 : 200,
      body: toSavedVersion(saved),
      location: `/processflows/${name}/versions/${version}`,
    };
  };

  routes.add(
    {
      method: 'post',
      path: '/processflows',
      tag: 'processflows',
      summary: 'Save a processflow definition (JSON or YAML)',
      description: 'A changed definition becomes the next version; an unchanged one is kept.',
      body: definitionBodySchema,
      bodyFormats: ['json', 'yaml'],
      responses: savedResponses,
      access: { role: 'admin' },
    },
    async ({ body, actor }) => save(body, actor),
  );

  routes.add(
    {
      method: 'put',
      path: '/processflows/{name}',
      tag: 'processflows',
      summary: 'Save a processflow definition under its name (JSON or YAML)',
      params: processflowNameParamsSchema,
      body: definitionBodySchema,
      bodyFormats: ['json', 'yaml'],
      responses: savedResponses,
      access: { role: 'admin' },
    },
    async ({ params, body, actor }) => {
      if (body.name !== params.name) {
        throw new InputError('the processflow name in the body differs from the one in the path', [
          { path: 'body.name', message: `must be "${params.name}", as in the path` },
        ]);
      }
      return save(body, actor);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/processflows',
      tag: 'processflows',
      summary: 'List processflows with their latest version',
      responses: { 200: { description: 'the processflows', schema: processflowListSchema } },
      access: { role: 'viewer' },
    },
    async () => ({ status: 200, body: toProcessflowList(await services.processflows.list()) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/processflows/{name}',
      tag: 'processflows',
      summary: "List a processflow's versions, newest first",
      params: processflowNameParamsSchema,
      responses: { 200: { description: 'the versions', schema: processflowVersionsSchema } },
      problems: [404],
      access: { role: 'viewer' },
    },
    async ({ params }) => {
      const versions = await services.processflows.get(params.name);
      return { status: 200, body: toProcessflowVersions(params.name, versions) };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/processflows/{name}/versions/{version}',
      tag: 'processflows',
      summary: 'Read one version of a processflow definition',
      params: processflowVersionParamsSchema,
      responses: { 200: { description: 'the version', schema: processflowVersionSchema } },
      problems: [404],
      access: { role: 'viewer' },
    },
    async ({ params }) => {
      const version = await services.processflows.getVersion(params.name, params.version);
      return { status: 200, body: toProcessflowVersion(version) };
    },
  );

  return routes.router;
}
