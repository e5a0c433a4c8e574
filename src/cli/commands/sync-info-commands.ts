import type { Command } from 'commander';
import type { CliApi } from '../cli-api';
import { cut, print, printJson, recordCount, segment, table, when } from '../output';
import { nonEmpty, wholeNumberText } from '../option-parsers';

interface SyncInfoRecord {
  sourceId: string;
  nodeName: string;
  status: string;
  lastAttemptAt: string | null;
  lastAttemptKind: string | null;
  tries: number;
  nextRetryAt: string | null;
  autoRetriesLeft: number;
  retryState: string | null;
  lastError: string | null;
}

interface SyncInfo {
  deploymentId: string;
  processflowName: string;
  description: string;
  deploymentStatus: string;
  environment: { name: string; active: boolean };
  records: SyncInfoRecord[];
  nextAfter: string | null;
}

interface Snapshot {
  executionId: number;
  workflowId: string;
  attemptKind: string;
  tryNumber: number;
  status: string;
  error: string | null;
  truncated: boolean;
  startedAt: string;
  nodes: {
    node: string;
    kind?: string;
    input?: unknown;
    output?: unknown;
    error?: string;
    ms: number;
  }[];
}

/** The query of Sync Info's filters, as the API reads them. */
function syncInfoQuery(options: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [option, param] of [
    ['status', 'status'],
    ['node', 'node'],
    ['sourceId', 'sourceId'],
    ['limit', 'limit'],
    ['after', 'after'],
  ] as const) {
    const value = options[option];
    if (value !== undefined) query.set(param, value);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

export function addSyncInfoCommands(program: Command, api: () => CliApi) {
  program
    .command('sync-info')
    .description("a deployment's Sync Info: one row per record, with status, tries and last error")
    .argument('<deployment>', 'deployment id, <processflow>@<environment>')
    .option('-s, --status <list>', 'Success, Failed, Unprocessed; comma-separated')
    .option('--node <name>', 'the node the record came from')
    .option('--source-id <text>', 'part of the source id, case-insensitive')
    .option('-l, --limit <n>', 'rows per page (1-1000)', wholeNumberText(1, 1000), '100')
    .option('--after <sourceId>', 'the page after this source id (printed under the table)')
    .action(async (deploymentId: string, options: Record<string, string | undefined>) => {
      const client = api();
      const info = await client.get<SyncInfo>(
        `/deployments/${segment(deploymentId)}/sync-info${syncInfoQuery(options)}`,
      );
      if (client.options.json) return printJson(info);
      const environment = info.environment.active
        ? `${info.environment.name} (active)`
        : `${info.environment.name} (INACTIVE: no agent attached)`;
      print(`${info.processflowName} in ${environment}, ${info.deploymentStatus}`);
      if (info.description) print(info.description);
      print(
        table(
          [
            'source id',
            'node',
            'status',
            'last attempt',
            'tries',
            'next retry',
            'retries left',
            'last error',
          ],
          info.records.map((r) => [
            r.sourceId,
            r.nodeName,
            r.status,
            r.lastAttemptAt ? `${when(r.lastAttemptAt)} ${r.lastAttemptKind}` : '',
            r.tries,
            r.retryState === 'exhausted' ? 'exhausted' : when(r.nextRetryAt),
            r.status === 'Failed' ? r.autoRetriesLeft : '',
            cut(r.lastError),
          ]),
        ),
      );
      print(
        info.nextAfter === null
          ? recordCount(info.records.length)
          : `${recordCount(info.records.length)}; more with --after '${info.nextAfter}'`,
      );
    });

  program
    .command('snapshots')
    .description('the snapshots of one record, newest first: what it was at every node')
    .argument('<deployment>', 'deployment id, <processflow>@<environment>')
    .argument('<sourceId>', "the record's source id", nonEmpty)
    .option('-l, --limit <n>', 'snapshots to show (1-1000)', wholeNumberText(1, 1000), '10')
    .action(async (deploymentId: string, sourceId: string, options: { limit: string }) => {
      const client = api();
      const found = await client.get<{ record: SyncInfoRecord; snapshots: Snapshot[] }>(
        `/deployments/${segment(deploymentId)}/records/${segment(sourceId)}/snapshots?limit=${options.limit}`,
      );
      if (client.options.json) return printJson(found);
      const { record } = found;
      print(
        `${record.sourceId}: ${record.status}, ${record.tries} tries${record.lastError ? `, ${record.lastError}` : ''}`,
      );
      for (const s of found.snapshots) {
        print(
          `\ntry ${s.tryNumber} (${s.attemptKind}) ${s.status} at ${when(s.startedAt)}, execution ${s.executionId} ${s.workflowId}`,
        );
        if (s.error) print(`  error: ${s.error}`);
        for (const node of s.nodes) {
          const shown = node.error ?? JSON.stringify(node.output ?? node.input ?? null);
          print(`  ${node.node}: ${cut(shown, 200)}`);
        }
        if (s.truncated) print('  (payloads cut to the size limit)');
      }
    });
}
