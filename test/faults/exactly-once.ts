import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { type CaseFigures, recordFigures } from './fault-figures';

export interface ExactlyOnceInput {
  case: string;
  db: Knex;
  deploymentId: string;
  /** Every source id the source handed over. */
  fetched: string[];
  /** The source ids the destination holds, one entry per copy it holds. */
  written: string[];
  /** The ids that must have been written (Success), and the tries each must show. */
  expected: { succeeded: string[]; tries: (sourceId: string) => number };
  client: Client;
  notes?: Record<string, unknown>;
}

/**
 * The promise the fault suite checks after every fault: each fetched record is in the ledger
 * exactly once, the destination holds each written record exactly once, tries are exact, and
 * no run or retry lifecycle of the deployment is left running or half-claimed. Records the
 * figures and answers them; the caller asserts on them.
 */
export async function checkExactlyOnce(input: ExactlyOnceInput): Promise<CaseFigures> {
  const rows = await input
    .db('records')
    .where({ deployment_id: input.deploymentId })
    .select('source_id', 'status', 'tries', 'retry_state');
  const inLedger = new Map(rows.map((row) => [row.source_id as string, row]));
  const writtenCounts = countBy(input.written);

  const lost =
    input.fetched.filter((id) => !inLedger.has(id)).length +
    input.expected.succeeded.filter((id) => !writtenCounts.has(id)).length;
  const duplicated =
    [...writtenCounts.values()].filter((count) => count > 1).length + (rows.length - inLedger.size);
  const wrongTries = input.expected.succeeded.filter((id) => {
    const row = inLedger.get(id);
    return !row || row.status !== 'Success' || row.tries !== input.expected.tries(id);
  }).length;

  const running = await input
    .db('executions')
    .where({ deployment_id: input.deploymentId, status: 'running' })
    .count<{ count: string }[]>('* as count');
  const claimed = rows.filter((row) => row.retry_state === 'claimed').length;
  const openWorkflows = await countOpenWorkflows(input.client, input.deploymentId);
  const figures: CaseFigures = {
    case: input.case,
    recordsChecked: input.fetched.length,
    lost,
    duplicated,
    wrongTries,
    stuck: Number(running[0].count) + claimed + openWorkflows,
    ...(input.notes ? { notes: input.notes } : {}),
  };
  recordFigures(figures);
  return figures;
}

/** Executions and lifecycles of the deployment still open in Temporal (not the slot timer). */
async function countOpenWorkflows(client: Client, deploymentId: string): Promise<number> {
  let open = 0;
  const query = `Deployment = "${deploymentId}" AND ExecutionStatus = "Running"`;
  for await (const workflow of client.workflow.list({ query })) {
    if (!workflow.workflowId.startsWith('retry-slots/')) open += 1;
  }
  return open;
}

function countBy(ids: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
