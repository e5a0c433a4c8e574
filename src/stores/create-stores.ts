import type { Knex } from 'knex';
import { AuditStore } from './audit-store';
import { AgentStore } from './agent-store';
import { DeploymentStore } from './deployment-store';
import { EnvironmentStore } from './environment-store';
import { ExecutionStore } from './execution-store';
import { LedgerStore } from './ledger-store';
import { ProcessflowStore } from './processflow-store';
import { ReportStore } from './report-store';
import { ResyncStore } from './resync-store';
import { RetentionStore } from './retention-store';
import { RetryStore } from './retry-store';
import { SnapshotStore } from './snapshot-store';
import { SourceMarkStore } from './source-mark-store';
import { TokenStore } from './token-store';

export type Stores = ReturnType<typeof createStores>;

export function createStores(db: Knex) {
  const deployments = new DeploymentStore(db);
  return {
    agents: new AgentStore(db),
    environments: new EnvironmentStore(db),
    processflows: new ProcessflowStore(db),
    deployments,
    executions: new ExecutionStore(db, deployments),
    ledger: new LedgerStore(db),
    snapshots: new SnapshotStore(db),
    retries: new RetryStore(db),
    resyncs: new ResyncStore(db),
    sourceMarks: new SourceMarkStore(db),
    reports: new ReportStore(db),
    tokens: new TokenStore(db),
    retention: new RetentionStore(db),
    audit: new AuditStore(db),
  };
}
