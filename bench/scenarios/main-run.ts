import type { BenchStack } from '../bench-stack';
import { writeCitiesFile } from '../cities';
import { createCitiesTable, deployCitiesFlow, executionSeconds, runToEnd } from '../flows';
import { activityTimings, historiesOf } from '../temporal-history';
import { grownSince, labelOf, scrapeMetrics } from '../worker-metrics';

export interface MainRunResult {
  records: number;
  seconds: number;
  recordsPerSecond: number;
  pages: number;
  profile: RunProfile;
}

/** Where a main run's wall time went, in seconds summed over its pages. */
export interface RunProfile {
  wallSeconds: number;
  temporal: { queueSeconds: number; betweenActivitiesSeconds: number };
  activitySeconds: number;
  /** Inside the activities: calls timed by the worker (store methods, connectors, notices). */
  calls: Record<string, number>;
  /** JSONata evaluation, as each record's snapshot times it. */
  jsonataSeconds: number;
  /** Activity time not in any timed call: snapshot preparation, transactions' commits, the rest. */
  otherSeconds: number;
}

/** A main run of `count` cities from a JSON Lines file into a PostgreSQL table. */
export async function mainRun(stack: BenchStack, count: number): Promise<MainRunResult> {
  const file = await writeCitiesFile(stack.filesDir, count);
  const table = `main_${count}`;
  await createCitiesTable(stack, table);
  const deploymentId = await deployCitiesFlow(stack, { name: `main-${count}`, file, table });

  const before = await scrapeMetrics(stack.workerMetricsUrl);
  const execution = await runToEnd(stack, deploymentId, 60 * 60_000);
  const after = await scrapeMetrics(stack.workerMetricsUrl);
  await expectAllWritten(stack, table, deploymentId, execution.id, count);

  const seconds = executionSeconds(execution);
  const histories = await historiesOf(stack.temporal, executionWorkflowId(deploymentId, 1));
  const pages = activityTimings(histories, 'processPage');
  const calls = timedCalls(before, after);
  const jsonataSeconds = await jsonataTime(stack, execution.id);
  const inCalls = Object.values(calls).reduce((a, b) => a + b, 0);
  return {
    records: count,
    seconds,
    recordsPerSecond: count / seconds,
    pages: execution.pages,
    profile: {
      wallSeconds: seconds,
      temporal: {
        queueSeconds: pages.queueSeconds,
        betweenActivitiesSeconds: pages.betweenSeconds,
      },
      activitySeconds: pages.runSeconds,
      calls,
      jsonataSeconds,
      otherSeconds: pages.runSeconds - inCalls - jsonataSeconds,
    },
  };
}

export const executionWorkflowId = (deploymentId: string, seq: number) =>
  `execution/${deploymentId}/${seq}`;

/** Seconds per timed call (store method, connector operation) that grew during the run. */
export function timedCalls(
  before: Map<string, number>,
  after: Map<string, number>,
): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const [key, seconds] of grownSince(
    before,
    after,
    'processflow_worker_call_duration_seconds_sum',
  )) {
    calls[`${labelOf(key, 'target')}.${labelOf(key, 'method')}`] = seconds;
  }
  for (const [key, seconds] of grownSince(
    before,
    after,
    'processflow_connector_call_duration_seconds_sum',
  )) {
    const name = `${labelOf(key, 'connector')} connector.${labelOf(key, 'operation')}`;
    calls[name] = (calls[name] ?? 0) + seconds;
  }
  return calls;
}

async function jsonataTime(stack: BenchStack, executionId: number): Promise<number> {
  const { rows } = await stack.db.raw<{ rows: { ms: number | null }[] }>(
    `select sum((node->>'ms')::float8) as ms
     from snapshots, jsonb_array_elements(nodes) as node
     where execution_id = ? and node->>'kind' in ('map', 'filter')`,
    [executionId],
  );
  return (rows[0].ms ?? 0) / 1000;
}

async function expectAllWritten(
  stack: BenchStack,
  table: string,
  deploymentId: string,
  executionId: number,
  count: number,
) {
  const written = Number(
    (await stack.destination.query(`select count(*) from ${table}`)).rows[0].count,
  );
  const ledger = await stack
    .db('records')
    .where({ deployment_id: deploymentId, status: 'Success' })
    .count<{ count: string }[]>('* as count');
  const snapshots = await stack
    .db('snapshots')
    .where({ execution_id: executionId })
    .count<{ count: string }[]>('* as count');
  const counts = [written, Number(ledger[0].count), Number(snapshots[0].count)];
  if (counts.some((c) => c !== count)) {
    throw new Error(
      `${deploymentId}: expected ${count} rows, ledger rows and snapshots; got ${counts}`,
    );
  }
}
