import type { Command } from 'commander';
import type { CliApi } from '../cli-api';
import { print, printJson, segment, table, when } from '../output';

interface Agent {
  identity: string;
  lastSeenAt: string;
}

interface EnvironmentStatus {
  name: string;
  description?: string;
  active: boolean;
  agents: Agent[];
  taskQueue?: string;
}

interface DeploymentList {
  environment: EnvironmentStatus;
  deployments: {
    deploymentId: string;
    version: number;
    status: string;
    tries: number;
    counts: { Success: number; Failed: number; Unprocessed: number };
    schedule: { description: string; paused: boolean | null; nextRunAt: string | null } | null;
  }[];
}

export function addEnvironmentCommands(program: Command, api: () => CliApi) {
  program
    .command('environments')
    .description('list environments, or show one with its agents and deployments')
    .argument('[name]', 'an environment')
    .action(async (name: string | undefined) => {
      const client = api();
      if (name === undefined) {
        const { environments } = await client.get<{ environments: EnvironmentStatus[] }>(
          '/environments',
        );
        if (client.options.json) return printJson(environments);
        print(
          table(
            ['environment', 'description'],
            environments.map((e) => [e.name, e.description ?? '']),
          ),
        );
        return;
      }
      const [environment, listed] = await Promise.all([
        client.get<EnvironmentStatus>(`/environments/${segment(name)}`),
        client.get<DeploymentList>(`/environments/${segment(name)}/deployments`),
      ]);
      if (client.options.json)
        return printJson({ ...environment, deployments: listed.deployments });
      const agents = environment.agents.map((a) => `${a.identity} (seen ${when(a.lastSeenAt)})`);
      print(
        `${environment.name}: ${environment.active ? 'active' : 'INACTIVE (no agent attached)'}`,
      );
      if (environment.taskQueue) print(`task queue ${environment.taskQueue}`);
      for (const agent of agents) print(`  agent ${agent}`);
      print(
        table(
          [
            'deployment',
            'version',
            'status',
            'Success',
            'Failed',
            'Unprocessed',
            'tries',
            'schedule',
            'next run',
          ],
          listed.deployments.map((d) => [
            d.deploymentId,
            d.version,
            d.status,
            d.counts.Success,
            d.counts.Failed,
            d.counts.Unprocessed,
            d.tries,
            d.schedule
              ? `${d.schedule.description}${d.schedule.paused ? ', paused' : ''}`
              : 'by hand',
            when(d.schedule?.nextRunAt),
          ]),
        ),
      );
    });
}
