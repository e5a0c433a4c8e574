import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { FlowRuntime } from '../pipeline/flow-runtime';
import type { DeploymentStore } from '../stores/deployment-store';
import type { ExecutionStore } from '../stores/execution-store';
import type { LedgerStore } from '../stores/ledger-store';
import type { ProcessflowStore } from '../stores/processflow-store';
import type { ReportStore } from '../stores/report-store';
import type { ResyncStore } from '../stores/resync-store';
import type { RetentionStore } from '../stores/retention-store';
import type { RetryStore } from '../stores/retry-store';
import type { SnapshotStore } from '../stores/snapshot-store';
import type { SourceMarkStore } from '../stores/source-mark-store';
import type { LifecycleNotifier } from '../temporal/lifecycle-notifier';

/** What activities need, built once by the worker. */
export interface ActivityDeps {
  db: Knex;
  log: Logger;
  runtime: FlowRuntime;
  processflows: ProcessflowStore;
  deployments: DeploymentStore;
  executions: ExecutionStore;
  ledger: LedgerStore;
  snapshots: SnapshotStore;
  retries: RetryStore;
  resyncs: ResyncStore;
  retention: RetentionStore;
  sourceMarks: SourceMarkStore;
  reports: ReportStore;
  notifier: LifecycleNotifier;
  pageSize: number;
  snapshotMaxPayloadBytes: number;
}
