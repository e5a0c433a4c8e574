import type { Command } from 'commander';
import type { CliApi } from '../cli-api';
import { CliError, ExitCode } from '../exit-codes';
import { print, printJson, segment, table, when } from '../output';

interface DeploymentSchedule {
  deploymentId: string;
  description: string;
  state: {
    paused: boolean;
    note: string | null;
    nextRunTimes: string[];
    recentRuns: { scheduledAt: string; startedAt: string; workflowId: string }[];
    running: string[];
    runsStarted: number;
    skippedOverlap: number;
    missedCatchupWindow: number;
  } | null;
}

/** "15m", "2h" or a cron expression as the API's schedule body. */
export function scheduleBody(options: { every?: string; cron?: string; timezone?: string }) {
  const zone = options.timezone ? { timezone: options.timezone } : {};
  if ((options.every === undefined) === (options.cron === undefined)) {
    throw new CliError(
      'give either --every (15m, 2h) or --cron "MIN HOUR DAY MONTH WEEKDAY"',
      ExitCode.usage,
    );
  }
  if (options.cron !== undefined) return { cron: options.cron, ...zone };
  const every = /^(\d+)\s*(m|min|h)$/.exec(options.every!.trim());
  if (!every)
    throw new CliError(
      `--every takes minutes or hours, e.g. 15m or 2h, not "${options.every}"`,
      ExitCode.usage,
    );
  const n = Number(every[1]);
  return every[2] === 'h' ? { everyHours: n, ...zone } : { everyMinutes: n, ...zone };
}

function show(found: DeploymentSchedule) {
  print(`${found.deploymentId}: ${found.description}`);
  const { state } = found;
  if (!state) return print('Temporal cannot be reached: its state is unknown');
  print(
    state.paused
      ? `PAUSED${state.note ? `: ${state.note}` : ''}`
      : `next runs: ${state.nextRunTimes.slice(0, 3).map(when).join(', ')}`,
  );
  print(
    `${state.runsStarted} runs started, ${state.skippedOverlap} skipped (previous run still going), ${state.missedCatchupWindow} missed`,
  );
  if (state.running.length > 0) print(`running now: ${state.running.join(', ')}`);
  if (state.recentRuns.length > 0) {
    print(
      table(
        ['due', 'started', 'workflow'],
        state.recentRuns.map((r) => [when(r.scheduledAt), when(r.startedAt), r.workflowId]),
      ),
    );
  }
}

export function addScheduleCommands(program: Command, api: () => CliApi) {
  const schedule = program
    .command('schedule')
    .description("a deployment's run schedule: show, set, pause, resume, trigger, remove");
  const path = (deploymentId: string) => `/deployments/${segment(deploymentId)}/schedule`;
  const answer = (client: CliApi, found: DeploymentSchedule) =>
    client.options.json ? printJson(found) : show(found);

  schedule
    .command('show')
    .argument('<deployment>', 'deployment id')
    .action(async (deploymentId: string) => {
      const client = api();
      answer(client, await client.get<DeploymentSchedule>(path(deploymentId)));
    });

  schedule
    .command('set')
    .argument('<deployment>', 'deployment id')
    .option('--every <period>', 'every N minutes or hours: 15m, 2h (hours: 1, 2, 3, 4, 6, 8, 12)')
    .option('--cron <expression>', 'minute hour day month weekday, e.g. "30 6 * * 1-5"')
    .option('--timezone <zone>', "IANA time zone (default: the deployment's)")
    .action(
      async (
        deploymentId: string,
        options: { every?: string; cron?: string; timezone?: string },
      ) => {
        const client = api();
        answer(
          client,
          await client.put<DeploymentSchedule>(path(deploymentId), scheduleBody(options)),
        );
      },
    );

  for (const [name, help] of [
    ['pause', 'no run starts until it is resumed'],
    ['resume', 'runs start again from the next due time'],
  ] as const) {
    schedule
      .command(name)
      .description(help)
      .argument('<deployment>', 'deployment id')
      .option('--note <text>', 'why, shown with the schedule')
      .action(async (deploymentId: string, options: { note?: string }) => {
        const client = api();
        const body = options.note ? { note: options.note } : {};
        answer(
          client,
          await client.post<DeploymentSchedule>(`${path(deploymentId)}/${name}`, body),
        );
      });
  }

  schedule
    .command('trigger')
    .description('start a scheduled run now; skipped if one is still running')
    .argument('<deployment>', 'deployment id')
    .action(async (deploymentId: string) => {
      const client = api();
      answer(client, await client.post<DeploymentSchedule>(`${path(deploymentId)}/trigger`));
    });

  schedule
    .command('remove')
    .description('runs start by hand only')
    .argument('<deployment>', 'deployment id')
    .action(async (deploymentId: string) => {
      const client = api();
      await client.delete(path(deploymentId));
      if (!client.options.json) print(`${deploymentId}: schedule removed`);
    });
}
