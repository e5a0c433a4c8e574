import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { type CaseFigures, recordFigures } from './fault-figures';

/** How long work of the deployment may take to finish before it counts as stuck. */
const SETTLE_MS = 30_000;

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
    .select('source_id', 'status', 'tries');
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

  const stuck = await settledOpenWork(input);
  const figures: CaseFigures = {
    case: input.case,
    recordsChecked: input.fetched.length,
    lost,
    duplicated,
    wrongTries,
    stuck,
    ...(input.notes ? { notes: input.notes } : {}),
  };
  recordFigures(figures);
  return figures;
}

/**
 * Runs still marked running, records still claimed and workflows still open, once they have had
 * SETTLE_MS to finish: a run's last page commits a moment before its workflow completes, and
 * Temporal's visibility lags completions, so a count taken at once can see work that is ending.
 */
async function settledOpenWork(input: ExactlyOnceInput): Promise<number> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const [running, claimed, openWorkflows] = await Promise.all([
      input
        .db('executions')
        .where({ deployment_id: input.deploymentId, status: 'running' })
        .count<{ count: string }[]>('* as count'),
      input
        .db('records')
        .where({ deployment_id: input.deploymentId, retry_state: 'claimed' })
        .count<{ count: string }[]>('* as count'),
      countOpenWorkflows(input.client, input.deploymentId),
    ]);
    const open = Number(running[0].count) + Number(claimed[0].count) + openWorkflows;
    if (open === 0 || Date.now() >= deadline) return open;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
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
