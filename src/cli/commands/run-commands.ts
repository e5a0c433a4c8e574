import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliApi } from '../cli-api';
import { CliError, ExitCode } from '../exit-codes';
import { print, printJson, segment, table, when } from '../output';
import { wholeNumber } from '../option-parsers';

export interface Execution {
  id: number;
  deploymentId: string;
  seq: number;
  kind: string;
  workflowId: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  trigger: string;
  recordsFetched: number;
  recordsSucceeded: number;
  recordsFailed: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  sinceMark: string | null;
}

const POLL_MS = 500;

/** Waits for an execution to end, then answers it. */
export async function waitForExecution(api: CliApi, id: number): Promise<Execution> {
  for (;;) {
    const execution = await api.get<Execution>(`/executions/${id}`);
    if (execution.status !== 'running') return execution;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The exit code that says how a run ended. */
export function exitCodeOf(execution: Execution) {
  if (execution.status === 'failed' || execution.status === 'cancelled') return ExitCode.runFailed;
  return execution.recordsFailed > 0 ? ExitCode.recordsFailed : ExitCode.ok;
}

export function describeExecution(e: Execution): string {
  const totals = `${e.recordsFetched} fetched, ${e.recordsSucceeded} succeeded, ${e.recordsFailed} failed`;
  const since = e.sinceMark ? `, changes since ${e.sinceMark}` : '';
  return `execution ${e.id} (${e.workflowId}) ${e.status}: ${totals}${since}${e.error ? `\n  error: ${e.error}` : ''}`;
}

export function addRunCommands(program: Command, api: () => CliApi) {
  program
    .command('deploy')
    .description('save a processflow definition (optional) and deploy it to an environment')
    .argument('<processflow>', 'processflow name')
    .requiredOption('-e, --env <environment>', 'environment to deploy to')
    .option('-f, --file <path>', 'a definition to save first (YAML or JSON)')
    .option('--flow-version <n>', 'version to deploy (default: the latest)', wholeNumber(1))
    .option('--settings <json>', 'Sync & Retry settings as JSON, e.g. \'{"mode":"auto"}\'')
    .action(
      async (
        name: string,
        options: { env: string; file?: string; flowVersion?: number; settings?: string },
      ) => {
        const client = api();
        if (options.file) {
          const text = await readFile(options.file, 'utf8').catch((error: Error) => {
            throw new CliError(`cannot read ${options.file}: ${error.message}`, ExitCode.usage);
          });
          const type = /\.json$/i.test(options.file) ? 'application/json' : 'application/yaml';
          const saved = await client.postText<{ version: number; created: boolean }>(
            '/processflows',
            text,
            type,
          );
          if (!client.options.json) {
            print(`${saved.created ? 'saved' : 'unchanged'}: ${name} version ${saved.version}`);
          }
        }
        let settings: unknown;
        if (options.settings) {
          try {
            settings = JSON.parse(options.settings);
          } catch {
            throw new CliError(
              '--settings is not JSON, e.g. \'{"mode":"auto","interval":2}\'',
              ExitCode.usage,
            );
          }
        }
        const deployment = await client.put<{ id: string; version: number; status: string }>(
          `/environments/${segment(options.env)}/deployments/${segment(name)}`,
          {
            ...(options.flowVersion && { version: options.flowVersion }),
            ...(settings !== undefined && { settings }),
          },
        );
        if (client.options.json) return printJson(deployment);
        print(`deployed ${deployment.id} version ${deployment.version}`);
      },
    );

  program
    .command('run')
    .description('execute a deployment now')
    .argument('<deployment>', 'deployment id, <processflow>@<environment>')
    .option('--full', 'read the whole source, not only what changed since the last run')
    .option('-w, --wait', 'wait until the run ends; the exit code says how it ended')
    .action(async (deploymentId: string, options: { full?: boolean; wait?: boolean }) => {
      const client = api();
      const query = options.full ? '?full=true' : '';
      let execution = await client.post<Execution>(
        `/deployments/${segment(deploymentId)}/executions${query}`,
      );
      if (!client.options.json) print(`started ${describeExecution(execution)}`);
      if (!options.wait) {
        if (client.options.json) printJson(execution);
        return;
      }
      execution = await waitForExecution(client, execution.id);
      if (client.options.json) printJson(execution);
      else print(describeExecution(execution));
      process.exitCode = exitCodeOf(execution);
    });

  program
    .command('status')
    .description('a deployment: version, settings, schedule and its latest executions')
    .argument('<deployment>', 'deployment id, <processflow>@<environment>')
    .option('-n, --executions <n>', 'executions to show', Number, 5)
    .action(async (deploymentId: string, options: { executions: number }) => {
      const client = api();
      const id = segment(deploymentId);
      const [deployment, { executions }] = await Promise.all([
        client.get<{
          id: string;
          version: number;
          status: string;
          settings: Record<string, unknown>;
          runSchedule: Record<string, unknown> | null;
        }>(`/deployments/${id}`),
        client.get<{ executions: Execution[] }>(
          `/deployments/${id}/executions?limit=${options.executions}`,
        ),
      ]);
      if (client.options.json) return printJson({ ...deployment, executions });
      print(`${deployment.id}: version ${deployment.version}, ${deployment.status}`);
      print(`settings ${JSON.stringify(deployment.settings)}`);
      print(
        `schedule ${deployment.runSchedule ? JSON.stringify(deployment.runSchedule) : 'none: runs start by hand'}`,
      );
      print(
        table(
          [
            'execution',
            'kind',
            'trigger',
            'status',
            'fetched',
            'succeeded',
            'failed',
            'started',
            'finished',
          ],
          executions.map((e) => [
            `${e.id} (#${e.seq})`,
            e.kind,
            e.trigger,
            e.status,
            e.recordsFetched,
            e.recordsSucceeded,
            e.recordsFailed,
            when(e.startedAt),
            when(e.finishedAt),
          ]),
        ),
      );
    });
}
