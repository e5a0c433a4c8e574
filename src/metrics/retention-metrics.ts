import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from './metrics-registry';

/** What the snapshot retention purge did, counted by the worker that ran it. */
export const snapshotsPurged = new Counter({
  name: 'processflow_snapshots_purged_total',
  help: 'Snapshots deleted by the retention purge, by environment',
  labelNames: ['environment'] as const,
  registers: [metricsRegistry],
});

export const snapshotPurgeBatches = new Counter({
  name: 'processflow_snapshot_purge_batches_total',
  help: 'Delete batches the retention purge ran, by environment',
  labelNames: ['environment'] as const,
  registers: [metricsRegistry],
});

export const lastSnapshotPurge = new Gauge({
  name: 'processflow_snapshot_purge_last_run_timestamp_seconds',
  help: 'When the retention purge last finished a batch, by environment',
  labelNames: ['environment'] as const,
  registers: [metricsRegistry],
});
