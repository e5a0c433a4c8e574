import { Context } from '@temporalio/activity';
import {
  lastSnapshotPurge,
  snapshotPurgeBatches,
  snapshotsPurged,
} from '../metrics/retention-metrics';
import type { RetentionStore } from '../stores/retention-store';

export interface PurgeBatchInput {
  environment: string;
  /** Snapshots that started before this instant (epoch ms) go. */
  before: number;
  batchSize: number;
}

export function createRetentionActivities(deps: { retention: RetentionStore }) {
  return {
    /** Deletes one bounded batch of old snapshots; answers how many went. */
    async purgeSnapshotBatch(input: PurgeBatchInput): Promise<number> {
      const purged = await deps.retention.purgeSnapshots({
        environment: input.environment,
        before: new Date(input.before),
        limit: input.batchSize,
      });
      const labels = { environment: input.environment };
      snapshotsPurged.inc(labels, purged);
      snapshotPurgeBatches.inc(labels);
      lastSnapshotPurge.set(labels, Date.now() / 1000);
      Context.current().log.info('snapshots purged', {
        environment: input.environment,
        before: new Date(input.before).toISOString(),
        purged,
      });
      return purged;
    },
  };
}
