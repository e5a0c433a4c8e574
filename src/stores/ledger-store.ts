import type { Knex } from 'knex';
import type { AttemptKind, RecordStatus } from '../domain/ledger';
import type { AttemptOutcome, LedgerRecord } from '../domain/record';
import type { RetryPlan, RetryStanding, RetryState } from '../domain/retry-plan';

interface RecordRow {
  deployment_id: string;
  source_id: string;
  node_name: string;
  status: RecordStatus;
  tries: number;
  last_execution_id: string | null;
  last_attempt_kind: AttemptKind | null;
  last_attempt_at: Date | null;
  last_error: string | null;
  last_error_node: string | null;
  retry_state: RetryState;
  auto_retries_used: number;
  next_retry_at: Date | null;
}

export const toLedgerRecord = (row: RecordRow): LedgerRecord => ({
  deploymentId: row.deployment_id,
  sourceId: row.source_id,
  nodeName: row.node_name,
  status: row.status,
  tries: row.tries,
  lastExecutionId: row.last_execution_id === null ? null : Number(row.last_execution_id),
  lastAttemptKind: row.last_attempt_kind,
  lastAttemptAt: row.last_attempt_at,
  lastError: row.last_error,
  lastErrorNode: row.last_error_node,
  retryState: row.retry_state,
  autoRetriesUsed: row.auto_retries_used,
  nextRetryAt: row.next_retry_at,
});

export interface LockedRecord extends RetryStanding {
  sourceId: string;
  /** True when this execution already finished an attempt on the record (a repeat). */
  attemptedInThisExecution: boolean;
  lastAttemptAt: Date | null;
}

/** A finished attempt with the retry bookkeeping that follows from it. */
export interface PlannedOutcome extends AttemptOutcome {
  retry: RetryPlan;
}

export interface SyncInfoFilter {
  status?: RecordStatus[];
  node?: string;
  /** Case-insensitive substring of the source id. */
  sourceIdContains?: string;
  /** Keyset: answer source ids after this one. */
  after?: string;
  limit: number;
}

export interface StatusCounts {
  Success: number;
  Failed: number;
  Unprocessed: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The record filters of Sync Info, shared by every query that selects ledger rows. */
export function whereRecordsMatch(
  query: Knex.QueryBuilder,
  filter: Pick<SyncInfoFilter, 'status' | 'node' | 'sourceIdContains'>,
): Knex.QueryBuilder {
  if (filter.status?.length) query.whereIn('status', filter.status);
  if (filter.node !== undefined) query.where('node_name', filter.node);
  if (filter.sourceIdContains) {
    // The same expression as the trigram index records_source_id_folded_trgm.
    query.whereRaw(`lower(source_id collate "und-x-icu") like ? escape '\\'`, [
      `%${escapeLike(filter.sourceIdContains.toLowerCase())}%`,
    ]);
  }
  return query;
}

interface LockedRow {
  source_id: string;
  last_execution_id: string | null;
  last_attempt_at: Date | null;
  retry_state: RetryState;
  auto_retries_used: number;
}

export class LedgerStore {
  constructor(private readonly db: Knex) {}

  /**
   * Enters records fetched for the first time as Unprocessed, committed before any attempt
   * starts, so a run that stops half-way leaves them visible. A record already in the ledger
   * keeps its last outcome until this run's attempt on it finishes: a stopped run does not
   * turn a record that was synced into one that never was.
   */
  async markFetched(input: {
    deploymentId: string;
    nodeName: string;
    sourceIds: string[];
  }): Promise<void> {
    if (input.sourceIds.length === 0) return;
    await this.db.raw(
      `insert into records (deployment_id, source_id, node_name, status)
       select ?, sid, ?, 'Unprocessed' from unnest(?::text[]) as sid
       on conflict (deployment_id, source_id) do nothing`,
      [input.deploymentId, input.nodeName, input.sourceIds],
    );
  }

  /**
   * Locks the records for one attempt, in source-id order so that concurrent attempts on
   * overlapping records queue up instead of deadlocking. Held until the transaction ends.
   */
  async lockForAttempt(
    trx: Knex.Transaction,
    deploymentId: string,
    executionId: number,
    sourceIds: string[],
  ): Promise<LockedRecord[]> {
    const rows = await trx.raw<{ rows: LockedRow[] }>(
      `select source_id, last_execution_id, last_attempt_at, retry_state, auto_retries_used
       from records
       where deployment_id = ? and source_id = any(?::text[])
       order by source_id for update`,
      [deploymentId, sourceIds],
    );
    return rows.rows.map((row) => ({
      sourceId: row.source_id,
      attemptedInThisExecution: row.last_execution_id === String(executionId),
      lastAttemptAt: row.last_attempt_at,
      retryState: row.retry_state,
      autoRetriesUsed: row.auto_retries_used,
    }));
  }

  /**
   * Writes finished attempts. Tries go up by one per execution, so a page that is processed
   * again after a crash does not count twice.
   */
  async recordOutcomes(
    trx: Knex.Transaction,
    input: {
      deploymentId: string;
      executionId: number;
      kind: AttemptKind;
      outcomes: PlannedOutcome[];
    },
  ): Promise<Map<string, number>> {
    const rows = input.outcomes.map((o) => ({
      source_id: o.sourceId,
      status: o.status,
      error: o.error,
      error_node: o.errorNode,
      at: o.finishedAt.toISOString(),
      retry_state: o.retry.retryState,
      auto_retries_used: o.retry.autoRetriesUsed,
      next_retry_at: o.retry.nextRetryAt?.toISOString() ?? null,
    }));
    const result = await trx.raw<{ rows: { source_id: string; tries: number }[] }>(
      `update records r set
         status = x.status,
         tries = r.tries + (r.last_execution_id is distinct from ?)::int,
         last_execution_id = ?,
         last_attempt_kind = ?,
         last_attempt_at = x.at,
         last_error = x.error,
         last_error_node = x.error_node,
         retry_state = x.retry_state,
         auto_retries_used = x.auto_retries_used,
         next_retry_at = x.next_retry_at,
         updated_at = now()
       from jsonb_to_recordset(?::jsonb)
         as x(source_id text, status text, error text, error_node text, at timestamptz,
              retry_state text, auto_retries_used int, next_retry_at timestamptz)
       where r.deployment_id = ? and r.source_id = x.source_id collate "C"
       returning r.source_id, r.tries`,
      [
        String(input.executionId),
        String(input.executionId),
        input.kind,
        JSON.stringify(rows),
        input.deploymentId,
      ],
    );
    return new Map(result.rows.map((row) => [row.source_id, row.tries]));
  }

  async get(deploymentId: string, sourceId: string): Promise<LedgerRecord | undefined> {
    const row = await this.db<RecordRow>('records')
      .where({ deployment_id: deploymentId, source_id: sourceId })
      .first();
    return row && toLedgerRecord(row);
  }

  /** One page of Sync Info, in source-id order (stable while rows change). */
  async list(deploymentId: string, filter: SyncInfoFilter): Promise<LedgerRecord[]> {
    const query = this.db<RecordRow>('records')
      .where({ deployment_id: deploymentId })
      .orderBy('source_id')
      .limit(filter.limit);
    whereRecordsMatch(query, filter);
    if (filter.after !== undefined) query.where('source_id', '>', filter.after);
    return (await query).map(toLedgerRecord);
  }

  /** Records and their tries per status, kept by triggers (migration deployment_counts). */
  async countByStatus(deploymentId: string): Promise<StatusCounts & { tries: number }> {
    const rows = await this.db('deployment_record_counts')
      .where({ deployment_id: deploymentId })
      .select<{ status: RecordStatus; records: string; tries: string }[]>(
        'status',
        'records',
        'tries',
      );
    const counts = { Success: 0, Failed: 0, Unprocessed: 0, tries: 0 };
    for (const row of rows) {
      counts[row.status] = Number(row.records);
      counts.tries += Number(row.tries);
    }
    return counts;
  }
}
