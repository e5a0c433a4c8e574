import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { NotFoundError } from '../../domain/errors';
import type { ReportService } from '../../services/report-service';
import { environmentParam } from '../route-scopes';
import { RouteTable } from '../route-table';
import {
  dailyReportSchema,
  environmentParamsSchema,
  reportListQuerySchema,
  reportListSchema,
  reportParamsSchema,
  reportSettingsBodySchema,
  reportSettingsOutSchema,
  toDailyReport,
  toReportSettings,
} from '../schemas/report-schemas';

/** Daily reports per environment: settings, a report now, and the reports made. */
export function createReportRouter(
  services: { reports: ReportService },
  registry: OpenAPIRegistry,
) {
  const routes = new RouteTable(registry);
  const settingsPath = '/environments/{name}/daily-report';
  const ofEnvironment = environmentParam('name');
  const ofReport = async (params: { id: number }) => {
    try {
      return (await services.reports.get(params.id)).environment;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };

  routes.add(
    {
      method: 'put',
      path: settingsPath,
      tag: 'reports',
      summary: "Make the environment's daily report at a wall-clock time and send it to webhooks",
      description:
        'Each report covers the 24 hours before it is made: records synced, records that ' +
        'succeeded on a retry, and records still failing with their top errors.',
      params: environmentParamsSchema,
      body: reportSettingsBodySchema,
      responses: { 200: { description: 'the settings', schema: reportSettingsOutSchema } },
      problems: [404],
      access: { role: 'admin', environment: ofEnvironment },
    },
    async ({ params, body, actor }) => ({
      status: 200,
      body: toReportSettings(await services.reports.configure(params.name, body, actor)),
    }),
  );

  routes.add(
    {
      method: 'get',
      path: settingsPath,
      tag: 'reports',
      summary: "The daily report's settings and when the next one is due",
      params: environmentParamsSchema,
      responses: { 200: { description: 'the settings', schema: reportSettingsOutSchema } },
      problems: [404],
      access: { role: 'viewer', environment: ofEnvironment },
    },
    async ({ params }) => ({
      status: 200,
      body: toReportSettings(await services.reports.settings(params.name)),
    }),
  );

  routes.add(
    {
      method: 'post',
      path: `${settingsPath}/run`,
      tag: 'reports',
      summary: 'Make a report now for the last 24 hours and deliver it',
      params: environmentParamsSchema,
      responses: { 202: { description: 'the report is being made' } },
      problems: [404],
      access: { role: 'operator', environment: ofEnvironment },
    },
    async ({ params, actor }) => {
      await services.reports.runNow(params.name, actor);
      return { status: 202 };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/environments/{name}/reports',
      tag: 'reports',
      summary: "An environment's daily reports, newest first",
      params: environmentParamsSchema,
      query: reportListQuerySchema,
      responses: { 200: { description: 'the reports', schema: reportListSchema } },
      problems: [404],
      access: { role: 'viewer', environment: ofEnvironment },
    },
    async ({ params, query }) => {
      const found = await services.reports.list(params.name, query.limit + 1, query.before);
      const page = found.slice(0, query.limit);
      const nextBefore = found.length > query.limit ? page[page.length - 1].id : null;
      return { status: 200, body: { reports: page.map(toDailyReport), nextBefore } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/reports/{id}',
      tag: 'reports',
      summary: 'One daily report with its figures and deliveries',
      params: reportParamsSchema,
      responses: { 200: { description: 'the report', schema: dailyReportSchema } },
      problems: [404],
      access: { role: 'viewer', environment: ofReport },
    },
    async ({ params }) => ({
      status: 200,
      body: toDailyReport(await services.reports.get(params.id)),
    }),
  );

  return routes.router;
}
