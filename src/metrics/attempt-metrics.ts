import { Counter, Histogram } from 'prom-client';
import type { AttemptKind } from '../domain/ledger';
import { durationBuckets, lagBuckets, metricsRegistry } from './metrics-registry';

/**
 * What workers count as they work: finished attempts on records, calls to connectors and the
 * lag of automatic retries. Counted where the work happens, so each worker reports its own.
 */
export const recordAttempts = new Counter({
  name: 'processflow_record_attempts_total',
  help: 'Finished attempts on records, by deployment, attempt kind and resulting status',
  labelNames: ['deployment', 'kind', 'status'] as const,
  registers: [metricsRegistry],
});

export const connectorCalls = new Histogram({
  name: 'processflow_connector_call_duration_seconds',
  help: 'Calls to connectors (list a page, get by id, write a batch), by outcome',
  labelNames: ['connector', 'operation', 'outcome'] as const,
  buckets: durationBuckets,
  registers: [metricsRegistry],
});

export const connectorCallRecords = new Counter({
  name: 'processflow_connector_records_total',
  help: 'Records handed over by sources and to destinations, per connector and operation',
  labelNames: ['connector', 'operation'] as const,
  registers: [metricsRegistry],
});

export const retryLag = new Histogram({
  name: 'processflow_retry_lag_seconds',
  help: 'Time from a failed record becoming eligible for an automatic retry to its retry',
  labelNames: ['deployment'] as const,
  buckets: lagBuckets,
  registers: [metricsRegistry],
});

/** Counts finished attempts on records by their outcome. */
export function countAttempts(
  deployment: string,
  kind: AttemptKind,
  succeeded: number,
  failed: number,
): void {
  if (succeeded > 0) recordAttempts.inc({ deployment, kind, status: 'Success' }, succeeded);
  if (failed > 0) recordAttempts.inc({ deployment, kind, status: 'Failed' }, failed);
}
