import type { AttemptKind, ExecutionStatus } from './ledger';

export interface Execution {
  id: number;
  deploymentId: string;
  seq: number;
  kind: AttemptKind;
  workflowId: string;
  version: number;
  status: ExecutionStatus;
  trigger: string;
  recordsFetched: number;
  recordsSucceeded: number;
  recordsFailed: number;
  pages: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Incremental runs: the source's high-water mark the run lists changes after. */
  sinceMark: string | null;
  /** The highest mark the run saw; becomes the source's mark when the run completes. */
  reachedMark: string | null;
}

export interface ExecutionTotals {
  fetched: number;
  succeeded: number;
  failed: number;
  pages: number;
}
