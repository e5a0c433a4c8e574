import { segment } from '../client/api-client';
import type { Execution } from '../domain/execution';
import type { LedgerRecord } from '../domain/record';

export interface DemoReport {
  execution: Execution;
  counts: { Success: number; Failed: number; Unprocessed: number };
  failed: LedgerRecord[];
  apiUrl: string;
  temporalUiUrl: string | null;
  /** The agent's own /metrics (the API's needs the token; the agent's is on its host only). */
  agentMetricsUrl: string;
  namespace: string;
  dataFile: string;
  logFile: string;
  /** Where the demo's admin token is kept. */
  tokenFile: string;
  /** Where the demo keeps what webhooks receive (daily reports). */
  webhookInbox: { url: string; dir: string };
  /** The demo stops after the report (--exit) instead of staying up. */
  exiting: boolean;
}

const AUTH = `-H "authorization: Bearer $PROCESSFLOW_TOKEN"`;

/** The demo's summary for a person at a terminal. */
export function formatDemoReport(report: DemoReport): string {
  const { execution, counts, apiUrl } = report;
  const deployment = segment(execution.deploymentId);
  const seconds = (
    (execution.finishedAt!.getTime() - execution.startedAt.getTime()) /
    1000
  ).toFixed(1);
  const lines = [
    '',
    `Execution ${execution.workflowId} ${execution.status} in ${seconds} s`,
    `  Success      ${String(counts.Success).padStart(6)}`,
    `  Failed       ${String(counts.Failed).padStart(6)}`,
    `  Unprocessed  ${String(counts.Unprocessed).padStart(6)}`,
    ...(execution.error ? [`  Error: ${execution.error}`] : []),
    '',
    'A few failed records and why the destination refused them:',
    ...report.failed.map((r) => `  ${r.sourceId.padEnd(6)} tries ${r.tries}  ${r.lastError}`),
    '',
    `Read them (the demo's admin token: export PROCESSFLOW_TOKEN=$(cat ${report.tokenFile})):`,
    `  Sync Info   curl ${AUTH} '${apiUrl}/deployments/${deployment}/sync-info?status=Failed&limit=5'`,
  ];
  if (report.failed.length > 0) {
    const sourceId = segment(report.failed[0].sourceId);
    lines.push(
      `  Snapshots   curl ${AUTH} '${apiUrl}/deployments/${deployment}/records/${sourceId}/snapshots'`,
    );
  }
  lines.push(`  Deployed    curl ${AUTH} '${apiUrl}/environments/demo/deployments'`);
  lines.push(`  API spec    curl ${AUTH} ${apiUrl}/openapi.json`);
  lines.push(
    `  Metrics     curl ${AUTH} ${apiUrl}/metrics; the agent's: ${report.agentMetricsUrl}`,
  );
  if (report.temporalUiUrl) {
    const query = encodeURIComponent(`Deployment="${execution.deploymentId}"`);
    lines.push(
      `  Temporal UI ${report.temporalUiUrl}/namespaces/${report.namespace}/workflows?query=${query}`,
    );
  }
  lines.push(
    '',
    `Source data: ${report.dataFile} (change a record: npm run demo:edit -- <id> <field>=<value>)`,
    `Webhook inbox: ${report.webhookInbox.url}/… keeps each POST in ${report.webhookInbox.dir}`,
    `Logs (JSON lines): ${report.logFile}`,
    report.exiting
      ? 'Stopping now (--exit); the ledger and workflows are kept under .data/ for the next run.'
      : 'The API, the worker and the Temporal UI keep running; Ctrl-C stops them.',
    '',
  );
  return lines.join('\n');
}
