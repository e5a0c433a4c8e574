import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ScheduleService } from '../../services/schedule-service';
import { RouteTable } from '../route-table';
import { deploymentEnvironment } from '../route-scopes';
import { deploymentIdParamsSchema } from '../schemas/common-schemas';
import {
  deploymentScheduleSchema,
  runScheduleBodySchema,
  scheduleNoteBodySchema,
  toDeploymentSchedule,
} from '../schemas/schedule-schemas';

/** A deployment's run schedule: main runs started by a Temporal Schedule. */
export function createScheduleRouter(
  services: { schedules: ScheduleService },
  registry: OpenAPIRegistry,
) {
  const routes = new RouteTable(registry);
  const path = '/deployments/{id}/schedule';
  const reply = { 200: { description: 'the schedule', schema: deploymentScheduleSchema } };

  routes.add(
    {
      method: 'put',
      path,
      tag: 'schedules',
      summary: 'Run a deployment on a schedule: every N minutes or hours, or a cron expression',
      description:
        "Wall-clock times are in the schedule's time zone (default: the deployment's). A run " +
        'still in progress makes the next one skip; runs missed while Temporal or the agents ' +
        'were down start once. Changing the schedule keeps it paused or running as it was.',
      params: deploymentIdParamsSchema,
      body: runScheduleBodySchema,
      responses: reply,
      problems: [404, 409],
      access: { role: 'admin', environment: deploymentEnvironment },
    },
    async ({ params, body, actor }) => ({
      status: 200,
      body: toDeploymentSchedule(await services.schedules.set(params.id, body, actor)),
    }),
  );

  routes.add(
    {
      method: 'get',
      path,
      tag: 'schedules',
      summary: "A deployment's run schedule: next run times, recent and skipped runs",
      params: deploymentIdParamsSchema,
      responses: reply,
      problems: [404],
      access: { role: 'viewer', environment: deploymentEnvironment },
    },
    async ({ params }) => ({
      status: 200,
      body: toDeploymentSchedule(await services.schedules.get(params.id)),
    }),
  );

  routes.add(
    {
      method: 'delete',
      path,
      tag: 'schedules',
      summary: 'Remove the run schedule: main runs start by hand only',
      params: deploymentIdParamsSchema,
      responses: { 204: { description: 'removed' } },
      problems: [404],
      access: { role: 'admin', environment: deploymentEnvironment },
    },
    async ({ params, actor }) => {
      await services.schedules.remove(params.id, actor);
      return { status: 204 };
    },
  );

  routes.add(
    {
      method: 'post',
      path: `${path}/pause`,
      tag: 'schedules',
      summary: 'Pause the schedule: no run starts until it is resumed, and none is made up',
      params: deploymentIdParamsSchema,
      body: scheduleNoteBodySchema,
      responses: reply,
      problems: [404],
      access: { role: 'operator', environment: deploymentEnvironment },
    },
    async ({ params, body, actor }) => ({
      status: 200,
      body: toDeploymentSchedule(await services.schedules.pause(params.id, body.note, actor)),
    }),
  );

  routes.add(
    {
      method: 'post',
      path: `${path}/resume`,
      tag: 'schedules',
      summary: 'Resume a paused schedule from its next run time',
      params: deploymentIdParamsSchema,
      body: scheduleNoteBodySchema,
      responses: reply,
      problems: [404],
      access: { role: 'operator', environment: deploymentEnvironment },
    },
    async ({ params, body, actor }) => ({
      status: 200,
      body: toDeploymentSchedule(await services.schedules.resume(params.id, body.note, actor)),
    }),
  );

  routes.add(
    {
      method: 'post',
      path: `${path}/trigger`,
      tag: 'schedules',
      summary: 'Start a scheduled run now, skipped if a scheduled run is still in progress',
      description: 'POST /deployments/{id}/executions starts a run now whatever is running.',
      params: deploymentIdParamsSchema,
      responses: { 202: { description: 'asked', schema: deploymentScheduleSchema } },
      problems: [404],
      access: { role: 'operator', environment: deploymentEnvironment },
    },
    async ({ params, actor }) => ({
      status: 202,
      body: toDeploymentSchedule(await services.schedules.trigger(params.id, actor)),
    }),
  );

  return routes.router;
}
