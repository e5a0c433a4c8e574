import type { Command } from 'commander';
import type { CliApi } from '../cli-api';
import { cut, print, printJson, segment, table, when } from '../output';

interface Figures {
  synced: number;
  succeededOnRetry: number;
  stillFailing: number;
  topErrors: { error: string; count: number }[];
}

interface DailyReport {
  id: number;
  environment: string;
  periodStart: string;
  periodEnd: string;
  totals: Figures;
  deployments: (Figures & { deploymentId: string })[];
  deliveries: { url: string; status: string; httpStatus: number | null; error: string | null }[];
}

export function addReportCommands(program: Command, api: () => CliApi) {
  const report = program.command('report').description("an environment's daily report");

  report
    .command('show')
    .description('the latest report, or the one with --id')
    .argument('<environment>', 'environment name')
    .option('--id <n>', 'a report id')
    .action(async (environment: string, options: { id?: string }) => {
      const client = api();
      const found = options.id
        ? await client.get<DailyReport>(`/reports/${segment(options.id)}`)
        : (
            await client.get<{ reports: DailyReport[] }>(
              `/environments/${segment(environment)}/reports?limit=1`,
            )
          ).reports[0];
      if (client.options.json) return printJson(found ?? null);
      if (!found)
        return print(
          `no report yet for ${environment}: make one with "processflow report run ${environment}"`,
        );
      print(
        `report ${found.id} of ${found.environment}, ${when(found.periodStart)} to ${when(found.periodEnd)}`,
      );
      print(
        table(
          ['deployment', 'synced', 'succeeded on a retry', 'still failing'],
          [
            ...found.deployments.map((d) => [
              d.deploymentId,
              d.synced,
              d.succeededOnRetry,
              d.stillFailing,
            ]),
            ['all', found.totals.synced, found.totals.succeededOnRetry, found.totals.stillFailing],
          ],
        ),
      );
      if (found.totals.topErrors.length > 0) {
        print(
          table(
            ['records', 'top errors'],
            found.totals.topErrors.map((e) => [e.count, cut(e.error, 90)]),
          ),
        );
      }
      for (const d of found.deliveries)
        print(`${d.url}: ${d.status}${d.error ? ` (${d.error})` : ''}`);
    });

  report
    .command('configure')
    .description('make the report daily at a wall-clock time and POST it to webhooks')
    .argument('<environment>', 'environment name')
    .requiredOption('--at <HH:MM>', 'time of day, 24-hour clock')
    .option('--timezone <zone>', 'IANA time zone', 'UTC')
    .option('--webhook <url...>', 'URLs that receive each report')
    .action(
      async (
        environment: string,
        options: { at: string; timezone: string; webhook?: string[] },
      ) => {
        const client = api();
        const settings = await client.put<{ nextRunAt: string | null }>(
          `/environments/${segment(environment)}/daily-report`,
          { at: options.at, timezone: options.timezone, webhooks: options.webhook ?? [] },
        );
        if (client.options.json) return printJson(settings);
        print(
          `daily report of ${environment} at ${options.at} ${options.timezone}; next ${when(settings.nextRunAt)}`,
        );
      },
    );

  report
    .command('run')
    .description('make a report now for the last 24 hours and deliver it')
    .argument('<environment>', 'environment name')
    .action(async (environment: string) => {
      const client = api();
      await client.post(`/environments/${segment(environment)}/daily-report/run`);
      if (!client.options.json)
        print(
          `making the report of ${environment}; read it with "processflow report show ${environment}"`,
        );
    });
}
