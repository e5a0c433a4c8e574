import type { AttemptKind, RecordStatus } from './ledger';

export interface Snapshot {
  id: number;
  deploymentId: string;
  sourceId: string;
  executionId: number;
  workflowId: string;
  attemptKind: AttemptKind;
  tryNumber: number;
  status: RecordStatus;
  nodes: unknown[];
  error: string | null;
  payloadBytes: number;
  truncated: boolean;
  startedAt: Date;
  finishedAt: Date;
}
