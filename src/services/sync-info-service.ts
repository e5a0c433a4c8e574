import { NotFoundError } from '../domain/errors';
import type { RecordStatus } from '../domain/ledger';
import type { Stores } from '../stores/create-stores';
import type { DeploymentService } from './deployment-service';
import type { EnvironmentService } from './environment-service';
import type { ExecutionService } from './execution-service';

export interface SyncInfoQuery {
  status?: RecordStatus[];
  node?: string;
  sourceId?: string;
  after?: string;
  limit: number;
}

/** What an operator reads: the ledger of a deployment, and the snapshots behind each row. */
export class SyncInfoService {
  constructor(
    private readonly stores: Pick<Stores, 'ledger' | 'snapshots' | 'processflows'>,
    private readonly deployments: DeploymentService,
    private readonly environments: EnvironmentService,
    private readonly executions: ExecutionService,
  ) {}

  /** The header (processflow, environment and its status) and one page of records. */
  async syncInfo(deploymentId: string, query: SyncInfoQuery) {
    // The page is read alongside the deployment: it needs only the id (an unknown one answers
    // not found all the same), and the page is what takes longest at millions of rows.
    const reading = this.stores.ledger.list(deploymentId, {
      status: query.status,
      node: query.node,
      sourceIdContains: query.sourceId,
      after: query.after,
      limit: query.limit + 1,
    });
    reading.catch(() => {});
    const deployment = await this.deployments.get(deploymentId);
    const [version, environment, records] = await Promise.all([
      this.stores.processflows.getVersion(deployment.processflowName, deployment.version),
      this.environments.status(deployment.environmentName),
      reading,
    ]);
    const hasMore = records.length > query.limit;
    const page = records.slice(0, query.limit);
    return {
      deployment,
      description: version?.definition.description ?? '',
      environment: {
        name: environment.environment.name,
        active: environment.active,
        agents: environment.agents,
      },
      records: page,
      nextAfter: hasMore ? page[page.length - 1].sourceId : null,
    };
  }

  async recordSnapshots(deploymentId: string, sourceId: string, limit: number, beforeId?: number) {
    await this.deployments.get(deploymentId);
    const record = await this.stores.ledger.get(deploymentId, sourceId);
    if (!record) {
      throw new NotFoundError(
        `record "${sourceId}" is not in the ledger of deployment "${deploymentId}"`,
      );
    }
    const snapshots = await this.stores.snapshots.listForRecord(
      deploymentId,
      sourceId,
      limit + 1,
      beforeId,
    );
    const hasMore = snapshots.length > limit;
    const page = snapshots.slice(0, limit);
    return {
      record: record ?? null,
      snapshots: page,
      nextBefore: hasMore ? page[page.length - 1].id : null,
    };
  }

  async executionSnapshots(executionId: number, limit: number, after?: string) {
    const execution = await this.executions.get(executionId);
    const snapshots = await this.stores.snapshots.listForExecution(executionId, limit + 1, after);
    const hasMore = snapshots.length > limit;
    const page = snapshots.slice(0, limit);
    return {
      execution,
      snapshots: page,
      nextAfter: hasMore ? page[page.length - 1].sourceId : null,
    };
  }
}
