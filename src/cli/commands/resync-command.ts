import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { CliApi } from '../cli-api';
import { CliError, ExitCode } from '../exit-codes';
import { print, printJson, recordCount, segment } from '../output';

interface Resync {
  id: string;
  executionId: number | null;
  workflowId: string | null;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  total: number;
  pending: number;
  succeeded: number;
  failed: number;
}

const POLL_MS = 500;

function selectionOf(
  ids: string[],
  options: { status?: string; node?: string; sourceId?: string },
) {
  const filtered = options.status ?? options.node ?? options.sourceId;
  if (ids.length > 0 && filtered !== undefined) {
    throw new CliError(
      'give source ids or filters (--status, --node, --source-id), not both',
      ExitCode.usage,
    );
  }
  if (ids.length > 0) return { sourceIds: ids };
  return {
    filter: {
      status: (options.status ?? 'Failed,Unprocessed').split(',').map((s) => s.trim()),
      ...(options.node && { node: options.node }),
      ...(options.sourceId && { sourceId: options.sourceId }),
    },
  };
}

export function addResyncCommand(program: Command, api: () => CliApi) {
  program
    .command('resync')
    .description(
      'resync Failed and Unprocessed records by hand: counts them first, then runs and shows progress',
    )
    .argument('<deployment>', 'deployment id, <processflow>@<environment>')
    .argument('[sourceIds...]', 'records to resync; without them, every record the filters take')
    .option('-s, --status <list>', 'Failed, Unprocessed; comma-separated (default: both)')
    .option('--node <name>', 'only records from this node')
    .option('--source-id <text>', 'only source ids containing this, case-insensitive')
    .option('--dry-run', 'only count the records it would take')
    .option('--request-id <id>', 'a key that makes a repeated request run once')
    .action(
      async (
        deploymentId: string,
        ids: string[],
        options: Record<string, string | boolean | undefined>,
      ) => {
        const client = api();
        const base = `/deployments/${segment(deploymentId)}/resyncs`;
        const selection = selectionOf(ids, options as Record<string, string | undefined>);
        const preview = await client.post<{ matched: number; notTaken: string[] }>(
          `${base}/preview`,
          selection,
        );
        if (!client.options.json) {
          print(`${recordCount(preview.matched)} to resync`);
          if (preview.notTaken.length > 0)
            print(`not taken (unknown or already Success): ${preview.notTaken.join(', ')}`);
        }
        if (options.dryRun) {
          if (client.options.json) printJson(preview);
          return;
        }
        if (preview.matched === 0) {
          // A filter that takes nothing is a quiet day; named records that cannot be taken are not.
          if (ids.length > 0) {
            throw new CliError(
              'none of the named records can be resynced: they are not in the ledger or already ' +
                'Success (see processflow sync-info)',
              ExitCode.notFound,
            );
          }
          return;
        }

        const started = await client.post<{ resync: Resync } | Resync>(base, {
          ...selection,
          ...(options.requestId && { requestId: options.requestId }),
        });
        const resync = 'resync' in started ? started.resync : started;
        const done = await follow(client, resync, !client.options.json);
        if (client.options.json) printJson(done);
        else
          print(
            `resync ${done.id} ${done.status}: ${done.succeeded} succeeded, ${done.failed} failed of ${done.total}`,
          );
        if (done.status !== 'completed') process.exitCode = ExitCode.runFailed;
        else if (done.failed > 0) process.exitCode = ExitCode.recordsFailed;
      },
    );
}

/** Polls the resync until it ends, drawing a progress bar (plain lines when not a terminal). */
async function follow(client: CliApi, resync: Resync, show: boolean): Promise<Resync> {
  const bar = new SingleBar({
    format: 'resync [{bar}] {value}/{total} records, {failed} failed',
    noTTYOutput: true,
    notTTYSchedule: 1_000,
    stream: process.stdout,
  });
  if (show) bar.start(resync.total, 0, { failed: 0 });
  let current = resync;
  try {
    for (;;) {
      current = await client.get<Resync>(`/resyncs/${current.id}`);
      if (show) bar.update(current.succeeded + current.failed, { failed: current.failed });
      if (current.status !== 'running') return current;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    if (show) bar.stop();
  }
}
