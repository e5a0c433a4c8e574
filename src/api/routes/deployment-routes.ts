import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { DeploymentService } from '../../services/deployment-service';
import type { EnvironmentService } from '../../services/environment-service';
import type { ScheduleService } from '../../services/schedule-service';
import { deploymentEnvironment, environmentParam } from '../route-scopes';
import { withinRequestPart } from '../request-input';
import { RouteTable } from '../route-table';
import { deploymentIdParamsSchema } from '../schemas/common-schemas';
import {
  deployBodySchema,
  deployedProcessflowListSchema,
  deploymentSchema,
  deploymentTargetParamsSchema,
  environmentNameParamsSchema,
  toDeployedProcessflow,
  toDeployment,
} from '../schemas/deployment-schemas';
import { toEnvironmentActivity } from '../schemas/environment-schemas';

export function createDeploymentRouter(
  services: {
    deployments: DeploymentService;
    environments: EnvironmentService;
    schedules: ScheduleService;
  },
  registry: OpenAPIRegistry,
) {
  const routes = new RouteTable(registry);

  routes.add(
    {
      method: 'put',
      path: '/environments/{env}/deployments/{processflow}',
      tag: 'deployments',
      summary: 'Deploy a processflow version to an environment, or redeploy it',
      description:
        'Redeploying changes the version or the Sync & Retry settings; waiting retry ' +
        'lifecycles take new settings from their next timer.',
      params: deploymentTargetParamsSchema,
      body: deployBodySchema,
      responses: {
        200: { description: 'redeployed', schema: deploymentSchema },
        201: { description: 'deployed for the first time', schema: deploymentSchema },
      },
      problems: [404],
      access: { role: 'admin', environment: environmentParam('env') },
    },
    async ({ params, body, actor }) => {
      const { deployment, created } = await withinRequestPart('body', () =>
        services.deployments.deploy(
          {
            environmentName: params.env,
            processflowName: params.processflow,
            version: body.version,
            settings: body.settings,
          },
          actor,
        ),
      );
      return {
        status: created ? 201 : 200,
        body: toDeployment(deployment),
        location: `/deployments/${encodeURIComponent(deployment.id)}`,
      };
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/environments/{env}/deployments/{processflow}',
      tag: 'deployments',
      summary: 'Undeploy: stops runs and automatic retries, keeps the ledger',
      params: deploymentTargetParamsSchema,
      responses: { 200: { description: 'undeployed', schema: deploymentSchema } },
      problems: [404],
      access: { role: 'admin', environment: environmentParam('env') },
    },
    async ({ params, actor }) => {
      const deployment = await services.deployments.undeploy(params.env, params.processflow, actor);
      return { status: 200, body: toDeployment(deployment) };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/environments/{env}/deployments',
      tag: 'deployments',
      summary: 'The deployed processflows of an environment, with Sync Info counts',
      params: environmentNameParamsSchema,
      responses: {
        200: { description: 'the deployments', schema: deployedProcessflowListSchema },
      },
      problems: [404],
      access: { role: 'viewer', environment: environmentParam('env') },
    },
    async ({ params }) => {
      const [environment, deployed, schedules] = await Promise.all([
        services.environments.status(params.env),
        services.deployments.listForEnvironment(params.env),
        services.schedules.forEnvironment(params.env),
      ]);
      return {
        status: 200,
        body: {
          environment: toEnvironmentActivity(environment),
          deployments: deployed.map((d) =>
            toDeployedProcessflow(d, schedules.get(d.deployment.id)),
          ),
        },
      };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/deployments/{id}',
      tag: 'deployments',
      summary: 'Read a deployment: version, status and Sync & Retry settings',
      params: deploymentIdParamsSchema,
      responses: { 200: { description: 'the deployment', schema: deploymentSchema } },
      problems: [404],
      access: { role: 'viewer', environment: deploymentEnvironment },
    },
    async ({ params }) => ({
      status: 200,
      body: toDeployment(await services.deployments.get(params.id)),
    }),
  );

  return routes.router;
}
