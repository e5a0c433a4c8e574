import type { Knex } from 'knex';
import type { LedgerFigures } from '../metrics/ledger-metrics';

/** The ledger's figures for `/metrics`: three grouped counts, one query each. */
export class MetricsStore {
  constructor(private readonly db: Knex) {}

  async ledgerFigures(): Promise<LedgerFigures> {
    const [records, lifecycles, runs] = await Promise.all([
      this.db('records')
        .select('deployment_id', 'status', 'last_attempt_kind')
        .count<
          {
            deployment_id: string;
            status: string;
            last_attempt_kind: string | null;
            count: string;
          }[]
        >('* as count')
        .groupBy('deployment_id', 'status', 'last_attempt_kind'),
      this.db('records')
        .whereNotNull('retry_state')
        .select('deployment_id', 'retry_state')
        .count<{ deployment_id: string; retry_state: string; count: string }[]>('* as count')
        .groupBy('deployment_id', 'retry_state'),
      this.db('executions')
        .where({ status: 'running' })
        .select('deployment_id', 'kind')
        .count<{ deployment_id: string; kind: string; count: string }[]>('* as count')
        .groupBy('deployment_id', 'kind'),
    ]);
    return {
      records: records.map((r) => ({
        deployment: r.deployment_id,
        status: r.status,
        lastAttemptKind: r.last_attempt_kind ?? 'none',
        count: Number(r.count),
      })),
      lifecycles: lifecycles.map((l) => ({
        deployment: l.deployment_id,
        state: l.retry_state,
        count: Number(l.count),
      })),
      runsInProgress: runs.map((r) => ({
        deployment: r.deployment_id,
        kind: r.kind,
        count: Number(r.count),
      })),
    };
  }
}
