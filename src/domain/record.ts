import type { AttemptKind, RecordStatus } from './ledger';
import type { RetryState } from './retry-plan';

/** One row of Sync Info. */
export interface LedgerRecord {
  deploymentId: string;
  sourceId: string;
  nodeName: string;
  status: RecordStatus;
  tries: number;
  lastExecutionId: number | null;
  lastAttemptKind: AttemptKind | null;
  lastAttemptAt: Date | null;
  lastError: string | null;
  lastErrorNode: string | null;
  retryState: RetryState;
  autoRetriesUsed: number;
  nextRetryAt: Date | null;
}

/** The result of one finished attempt on one record. */
export interface AttemptOutcome {
  sourceId: string;
  status: Exclude<RecordStatus, 'Unprocessed'>;
  error: string | null;
  errorNode: string | null;
  nodes: unknown[];
  payloadBytes: number;
  truncated: boolean;
  startedAt: Date;
  finishedAt: Date;
}
