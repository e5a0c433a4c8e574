import { continueAsNew, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

export interface RetentionInput {
  environment: string;
  retentionDays: number;
  batchSize: number;
  /** Carried across continue-as-new, so one purge keeps one cutoff and one total. */
  before?: number;
  purged?: number;
  batches?: number;
}

export interface RetentionResult {
  purged: number;
  batches: number;
  before: string;
}

const DAY_MS = 86_400_000;
const BATCHES_PER_RUN = 200;

const { purgeSnapshotBatch } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '1 minute' },
});

/**
 * The retention purge of one environment (run by the schedule snapshot-retention/<env>): deletes
 * snapshots older than the retention in batches of `batchSize`, each its own short transaction,
 * until none is left. Ledger rows are not touched.
 */
export async function snapshotRetention(input: RetentionInput): Promise<RetentionResult> {
  const before = input.before ?? Date.now() - input.retentionDays * DAY_MS;
  let purged = input.purged ?? 0;
  let batches = input.batches ?? 0;

  for (let run = 0; run < BATCHES_PER_RUN; run++) {
    const deleted = await purgeSnapshotBatch({
      environment: input.environment,
      before,
      batchSize: input.batchSize,
    });
    purged += deleted;
    batches += 1;
    if (deleted < input.batchSize) {
      log.info('snapshot retention done', { environment: input.environment, purged, batches });
      return { purged, batches, before: new Date(before).toISOString() };
    }
  }
  return continueAsNew<typeof snapshotRetention>({ ...input, before, purged, batches });
}
