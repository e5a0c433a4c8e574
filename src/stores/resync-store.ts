import type { Knex } from 'knex';
import type { RecordStatus } from '../domain/ledger';
import type { AttemptOutcome } from '../domain/record';
import { type ResyncProgress, type ResyncSelection, resyncableStatuses } from '../domain/resync';
import { whereRecordsMatch } from './ledger-store';

interface ResyncRow {
  id: string;
  deployment_id: string;
  request_id: string | null;
  selection: ResyncSelection;
  requested_by: string | null;
  execution_id: string | null;
  workflow_id: string | null;
  execution_status: ResyncProgress['status'] | null;
  finished_at: Date | null;
  created_at: Date;
  total: number;
  pending: number;
  succeeded: number;
  failed: number;
}

export interface ResyncItem {
  sourceId: string;
  status: 'pending' | Exclude<RecordStatus, 'Unprocessed'>;
  error: string | null;
  finishedAt: Date | null;
}

const toProgress = (row: ResyncRow): ResyncProgress => ({
  id: row.id,
  deploymentId: row.deployment_id,
  requestId: row.request_id,
  selection: row.selection,
  requestedBy: row.requested_by,
  executionId: row.execution_id === null ? null : Number(row.execution_id),
  workflowId: row.workflow_id,
  status: row.execution_status ?? 'completed',
  total: row.total,
  pending: row.pending,
  succeeded: row.succeeded,
  failed: row.failed,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
});

export class ResyncStore {
  constructor(private readonly db: Knex) {}

  /** The ledger rows a selection takes: Failed and Unprocessed only. */
  matching(db: Knex, deploymentId: string, selection: ResyncSelection): Knex.QueryBuilder {
    const query = db('records')
      .where({ deployment_id: deploymentId })
      .whereIn('status', resyncableStatuses);
    if ('sourceIds' in selection) return query.whereIn('source_id', selection.sourceIds);
    whereRecordsMatch(query, {
      status: selection.filter.status,
      node: selection.filter.node,
      sourceIdContains: selection.filter.sourceId,
    });
    if (selection.excludeSourceIds?.length)
      query.whereNotIn('source_id', selection.excludeSourceIds);
    return query;
  }

  async count(deploymentId: string, selection: ResyncSelection): Promise<number> {
    const [row] = await this.matching(this.db, deploymentId, selection).count<{ count: string }[]>(
      '* as count',
    );
    return Number(row.count);
  }

  /** Of the ids a selection names, those it does not take (unknown, or Success). */
  async notTaken(deploymentId: string, sourceIds: string[]): Promise<string[]> {
    const taken = new Set(
      await this.matching(this.db, deploymentId, { sourceIds }).pluck<string[]>('source_id'),
    );
    return sourceIds.filter((id) => !taken.has(id));
  }

  async findByRequestId(
    deploymentId: string,
    requestId: string,
  ): Promise<ResyncProgress | undefined> {
    const row = await this.withProgress()
      .where({ 'q.deployment_id': deploymentId, 'q.request_id': requestId })
      .first();
    return row && toProgress(row);
  }

  async get(id: string): Promise<ResyncProgress | undefined> {
    const row = await this.withProgress().where('q.id', id).first();
    return row && toProgress(row);
  }

  /** Stores the request and its items (a snapshot of the selection); answers how many. */
  async create(
    trx: Knex.Transaction,
    input: {
      id: string;
      deploymentId: string;
      requestId: string | null;
      selection: ResyncSelection;
      requestedBy: string | null;
      executionId: number;
    },
  ): Promise<number> {
    await trx('resync_requests').insert({
      id: input.id,
      deployment_id: input.deploymentId,
      request_id: input.requestId,
      selection: JSON.stringify(input.selection),
      requested_by: input.requestedBy,
      execution_id: String(input.executionId),
    });
    const items = this.matching(trx, input.deploymentId, input.selection).select(
      trx.raw('?::uuid', [input.id]),
      'source_id',
      trx.raw(`'pending'`),
    );
    const result = await trx.raw(
      `insert into resync_items (resync_id, source_id, status) ${items.toQuery()}`,
    );
    return result.rowCount ?? 0;
  }

  async pendingChunk(resyncId: string, limit: number): Promise<string[]> {
    return this.db('resync_items')
      .where({ resync_id: resyncId, status: 'pending' })
      .orderBy('source_id')
      .limit(limit)
      .pluck('source_id');
  }

  /** Writes each item's outcome in the attempt's own transaction. */
  async recordOutcomes(trx: Knex.Transaction, resyncId: string, outcomes: AttemptOutcome[]) {
    if (outcomes.length === 0) return;
    const rows = outcomes.map((o) => ({
      source_id: o.sourceId,
      status: o.status,
      error: o.error,
      at: o.finishedAt.toISOString(),
    }));
    await trx.raw(
      `update resync_items i set status = x.status, error = x.error, finished_at = x.at
       from jsonb_to_recordset(?::jsonb) as x(source_id text, status text, error text, at timestamptz)
       where i.resync_id = ? and i.source_id = x.source_id collate "C"`,
      [JSON.stringify(rows), resyncId],
    );
  }

  async items(
    resyncId: string,
    filter: { status?: ResyncItem['status']; after?: string; limit: number },
  ): Promise<ResyncItem[]> {
    const query = this.db('resync_items')
      .where({ resync_id: resyncId })
      .orderBy('source_id')
      .limit(filter.limit);
    if (filter.status) query.where({ status: filter.status });
    if (filter.after !== undefined) query.where('source_id', '>', filter.after);
    const rows = await query;
    return rows.map((row) => ({
      sourceId: row.source_id,
      status: row.status,
      error: row.error,
      finishedAt: row.finished_at,
    }));
  }

  private withProgress() {
    return this.db('resync_requests as q')
      .leftJoin('executions as e', 'e.id', 'q.execution_id')
      .joinRaw(
        `cross join lateral (
           select count(*)::int as total,
             (count(*) filter (where i.status = 'pending'))::int as pending,
             (count(*) filter (where i.status = 'Success'))::int as succeeded,
             (count(*) filter (where i.status = 'Failed'))::int as failed
           from resync_items i where i.resync_id = q.id) as c`,
      )
      .select<ResyncRow[]>(
        'q.*',
        'e.workflow_id',
        'e.status as execution_status',
        'e.finished_at',
        'c.total',
        'c.pending',
        'c.succeeded',
        'c.failed',
      );
  }
}
