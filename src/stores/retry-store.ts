import type { Knex } from 'knex';
import type { RetryState } from '../domain/retry-plan';
import type { RecordStanding } from '../workflows/retry-messages';

interface StandingRow {
  source_id: string;
  status: RecordStanding['status'];
  tries: number;
  retry_state: RetryState;
  auto_retries_used: number;
  next_retry_at: Date | null;
}

export const toStanding = (row: StandingRow): RecordStanding => ({
  status: row.status,
  tries: row.tries,
  retryState: row.retry_state,
  autoRetriesUsed: row.auto_retries_used,
  nextRetryAt: row.next_retry_at?.toISOString() ?? null,
});

const STANDING_COLUMNS = 'source_id, status, tries, retry_state, auto_retries_used, next_retry_at';

/** The ledger queries of automatic retry: claiming slots, arming and pausing lifecycles. */
export class RetryStore {
  constructor(private readonly db: Knex) {}

  /**
   * Claims at most `batchSize` records for a retry run: those waiting whose time lapse has
   * passed by the slot, oldest last attempt first. Rows locked by an attempt in progress are
   * skipped and keep their place for the next slot.
   */
  async claim(
    trx: Knex.Transaction,
    input: {
      deploymentId: string;
      executionId: number;
      slotAt: Date;
      timeLapseMinutes: number;
      batchSize: number;
    },
  ): Promise<number> {
    const result = await trx.raw(
      `with picked as (
         select source_id from records
         where deployment_id = ? and retry_state = 'waiting'
           and last_attempt_at + make_interval(mins => ?) <= ?
         order by last_attempt_at, source_id
         limit ? for update skip locked)
       update records r set retry_state = 'claimed', claimed_execution_id = ?, next_retry_at = ?
       from picked
       where r.deployment_id = ? and r.source_id = picked.source_id`,
      [
        input.deploymentId,
        input.timeLapseMinutes,
        input.slotAt,
        input.batchSize,
        String(input.executionId),
        input.slotAt,
        input.deploymentId,
      ],
    );
    return result.rowCount ?? 0;
  }

  /** Claims whose retry run ended without attempting them go back to waiting. */
  async releaseStaleClaims(trx: Knex.Transaction, deploymentId: string): Promise<void> {
    await trx.raw(
      `update records r set retry_state = 'waiting'
       from executions e
       where r.deployment_id = ? and r.retry_state = 'claimed'
         and e.id = r.claimed_execution_id and e.status <> 'running'`,
      [deploymentId],
    );
  }

  /** The next records a retry run still has to attempt. */
  async claimedChunk(executionId: number, limit: number): Promise<string[]> {
    return this.db('records')
      .where({ claimed_execution_id: String(executionId), retry_state: 'claimed' })
      .orderBy('source_id')
      .limit(limit)
      .pluck('source_id');
  }

  /**
   * Puts failed records without a live lifecycle into waiting: records that failed in manual
   * mode start a fresh budget, paused ones keep what they had left.
   */
  async arm(
    deploymentId: string,
    nextRetryAt: Date,
    limit: number,
  ): Promise<{ sourceId: string; standing: RecordStanding }[]> {
    const result = await this.db.raw<{ rows: StandingRow[] }>(
      `update records r set
         auto_retries_used = case when r.retry_state = 'paused' then r.auto_retries_used else 0 end,
         retry_state = 'waiting', next_retry_at = ?, updated_at = now()
       where r.deployment_id = ? and r.source_id in (
         select source_id from records
         where deployment_id = ? and status = 'Failed'
           and (retry_state is null or retry_state = 'paused')
         order by source_id limit ?)
       returning ${STANDING_COLUMNS}`,
      [nextRetryAt, deploymentId, deploymentId, limit],
    );
    return result.rows.map((row) => ({ sourceId: row.source_id, standing: toStanding(row) }));
  }

  /** A page of a deployment's waiting records after `afterSourceId`, in source-id order. */
  async waitingAfter(
    deploymentId: string,
    afterSourceId: string | null,
    limit: number,
  ): Promise<{ sourceId: string; lastAttemptAt: Date | null; nextRetryAt: Date | null }[]> {
    const rows = await this.db('records')
      .where({ deployment_id: deploymentId, retry_state: 'waiting' })
      .modify((query) => {
        if (afterSourceId !== null) query.where('source_id', '>', afterSourceId);
      })
      .orderBy('source_id')
      .limit(limit)
      .select<{ source_id: string; last_attempt_at: Date | null; next_retry_at: Date | null }[]>(
        'source_id',
        'last_attempt_at',
        'next_retry_at',
      );
    return rows.map((row) => ({
      sourceId: row.source_id,
      lastAttemptAt: row.last_attempt_at,
      nextRetryAt: row.next_retry_at,
    }));
  }

  /**
   * Moves the planned retry of waiting records (new settings); a record that stopped waiting
   * meanwhile is left as it is. Answers the standing of those moved, as news for lifecycles.
   */
  async replan(
    deploymentId: string,
    plans: { sourceId: string; nextRetryAt: Date }[],
  ): Promise<{ sourceId: string; standing: RecordStanding }[]> {
    if (plans.length === 0) return [];
    const result = await this.db.raw<{ rows: StandingRow[] }>(
      `update records r set next_retry_at = p.at, updated_at = now()
       from unnest(?::text[], ?::timestamptz[]) as p(sid, at)
       where r.deployment_id = ? and r.source_id = p.sid and r.retry_state = 'waiting'
       returning ${STANDING_COLUMNS}`,
      [plans.map((plan) => plan.sourceId), plans.map((plan) => plan.nextRetryAt), deploymentId],
    );
    return result.rows.map((row) => ({ sourceId: row.source_id, standing: toStanding(row) }));
  }

  /** Stops automatic retries of a deployment's waiting records; answers their source ids. */
  async pause(deploymentId: string, limit: number): Promise<string[]> {
    const result = await this.db.raw<{ rows: { source_id: string }[] }>(
      `update records set retry_state = 'paused', next_retry_at = null, updated_at = now()
       where deployment_id = ? and source_id in (
         select source_id from records
         where deployment_id = ? and retry_state in ('waiting', 'claimed')
         order by source_id limit ?)
       returning source_id`,
      [deploymentId, deploymentId, limit],
    );
    return result.rows.map((row) => row.source_id);
  }

  /** Where these records stand, as news for their lifecycles. */
  async newsOf(
    deploymentId: string,
    sourceIds: string[],
  ): Promise<{ sourceId: string; standing: RecordStanding }[]> {
    if (sourceIds.length === 0) return [];
    const result = await this.db.raw<{ rows: StandingRow[] }>(
      `select ${STANDING_COLUMNS} from records
       where deployment_id = ? and source_id = any(?::text[]) and status <> 'Unprocessed'`,
      [deploymentId, sourceIds],
    );
    return result.rows.map((row) => ({ sourceId: row.source_id, standing: toStanding(row) }));
  }

  async standing(deploymentId: string, sourceId: string): Promise<RecordStanding | undefined> {
    const result = await this.db.raw<{ rows: StandingRow[] }>(
      `select ${STANDING_COLUMNS} from records where deployment_id = ? and source_id = ?`,
      [deploymentId, sourceId],
    );
    return result.rows[0] && toStanding(result.rows[0]);
  }
}
