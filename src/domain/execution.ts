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
}

export interface ExecutionTotals {
  fetched: number;
  succeeded: number;
  failed: number;
  pages: number;
}
