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
  /** Main runs: the source cursor after the last committed page (null: none, or the end). */
  resumeCursor: string | null;
  /** Main runs: source ids of the last committed page. */
  lastPageIds: string[];
}

export interface ExecutionTotals {
  fetched: number;
  succeeded: number;
  failed: number;
  pages: number;
}

/** What one committed page or batch adds to its run. */
export interface PageProgress {
  fetched: number;
  succeeded: number;
  failed: number;
  /** Main runs: where the source goes on after this page, and the run's highest mark so far. */
  position?: {
    /** Pages the run had committed before this one: another writer got there first if not. */
    pagesBefore: number;
    nextCursor: string | null;
    reachedMark: string | null;
    sourceIds: string[];
  };
}
