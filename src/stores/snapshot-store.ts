import type { Knex } from 'knex';
import type { AttemptKind, RecordStatus } from '../domain/ledger';
import type { AttemptOutcome } from '../domain/record';
import type { Snapshot } from '../domain/snapshot';

interface SnapshotRow {
  id: string;
  deployment_id: string;
  source_id: string;
  execution_id: string;
  workflow_id: string;
  attempt_kind: AttemptKind;
  try_number: number;
  status: RecordStatus;
  nodes: unknown[];
  error: string | null;
  payload_bytes: number;
  truncated: boolean;
  started_at: Date;
  finished_at: Date;
}

const toSnapshot = (row: SnapshotRow): Snapshot => ({
  id: Number(row.id),
  deploymentId: row.deployment_id,
  sourceId: row.source_id,
  executionId: Number(row.execution_id),
  workflowId: row.workflow_id,
  attemptKind: row.attempt_kind,
  tryNumber: row.try_number,
  status: row.status,
  nodes: row.nodes,
  error: row.error,
  payloadBytes: row.payload_bytes,
  truncated: row.truncated,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

export class SnapshotStore {
  constructor(private readonly db: Knex) {}

  /**
   * Stores one snapshot per record for this execution. A record processed again by the same
   * execution (a page replayed after a crash, or the same id on a later page) replaces it.
   */
  async insert(
    trx: Knex.Transaction,
    input: {
      deploymentId: string;
      executionId: number;
      kind: AttemptKind;
      outcomes: AttemptOutcome[];
      tries: Map<string, number>;
    },
  ): Promise<void> {
    if (input.outcomes.length === 0) return;
    const rows = input.outcomes.map((o) => ({
      source_id: o.sourceId,
      try_number: input.tries.get(o.sourceId) ?? 1,
      status: o.status,
      nodes: o.nodes,
      error: o.error,
      payload_bytes: o.payloadBytes,
      truncated: o.truncated,
      started_at: o.startedAt.toISOString(),
      finished_at: o.finishedAt.toISOString(),
    }));
    await trx.raw(
      `insert into snapshots (deployment_id, execution_id, attempt_kind, source_id, try_number,
         status, nodes, error, payload_bytes, truncated, started_at, finished_at)
       select ?, ?, ?, x.source_id, x.try_number, x.status, x.nodes, x.error, x.payload_bytes,
         x.truncated, x.started_at, x.finished_at
       from jsonb_to_recordset(?::jsonb) as x(source_id text, try_number int, status text,
         nodes jsonb, error text, payload_bytes int, truncated boolean, started_at timestamptz,
         finished_at timestamptz)
       on conflict (execution_id, source_id) do update set
         try_number = excluded.try_number, status = excluded.status, nodes = excluded.nodes,
         error = excluded.error, payload_bytes = excluded.payload_bytes,
         truncated = excluded.truncated, started_at = excluded.started_at,
         finished_at = excluded.finished_at`,
      [input.deploymentId, String(input.executionId), input.kind, JSON.stringify(rows)],
    );
  }

  /** A record's snapshots, newest first, with keyset paging on id. */
  async listForRecord(
    deploymentId: string,
    sourceId: string,
    limit: number,
    beforeId?: number,
  ): Promise<Snapshot[]> {
    const query = this.withWorkflowId()
      .where({ 's.deployment_id': deploymentId, 's.source_id': sourceId })
      .orderBy('s.id', 'desc')
      .limit(limit);
    if (beforeId !== undefined) query.where('s.id', '<', beforeId);
    return (await query).map(toSnapshot);
  }

  /** An execution's snapshots in source-id order, with keyset paging on source id. */
  async listForExecution(executionId: number, limit: number, after?: string): Promise<Snapshot[]> {
    const query = this.withWorkflowId()
      .where('s.execution_id', String(executionId))
      .orderBy('s.source_id')
      .limit(limit);
    if (after !== undefined) query.where('s.source_id', '>', after);
    return (await query).map(toSnapshot);
  }

  /** Kept by triggers (migration deployment_counts): no scan of the deployment's snapshots. */
  async countForDeployment(deploymentId: string): Promise<number> {
    const row = await this.db('deployment_snapshot_counts')
      .where({ deployment_id: deploymentId })
      .first<{ snapshots: string } | undefined>('snapshots');
    return Number(row?.snapshots ?? 0);
  }

  private withWorkflowId() {
    return this.db('snapshots as s')
      .join('executions as e', 'e.id', 's.execution_id')
      .select<SnapshotRow[]>('s.*', 'e.workflow_id');
  }
}
