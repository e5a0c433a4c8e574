import { type Actor, environmentOfDeployment, systemActor } from '../domain/access';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Execution } from '../domain/execution';
import type { Logger } from '../logger';
import type { Stores } from '../stores/create-stores';
import type { ExecutionLauncher } from '../temporal/execution-launcher';
import type { AuditService } from './audit-service';
import type { DeploymentService } from './deployment-service';
import type { EnvironmentService } from './environment-service';

export class ExecutionService {
  constructor(
    private readonly stores: Pick<Stores, 'executions' | 'processflows' | 'sourceMarks'>,
    private readonly deployments: DeploymentService,
    private readonly environments: EnvironmentService,
    private readonly launcher: ExecutionLauncher,
    private readonly audit: AuditService,
    private readonly log: Logger,
  ) {}

  /**
   * Starts a main run now. Needs the deployment deployed and an agent in its environment. An
   * incremental source lists only what changed since the last completed run, unless `full`.
   */
  async executeNow(
    deploymentId: string,
    trigger: string,
    actor: Actor = systemActor(trigger),
    options: { full?: boolean } = {},
  ): Promise<Execution> {
    const deployment = await this.deployments.get(deploymentId);
    if (deployment.status !== 'deployed') {
      throw new ConflictError(
        `deployment "${deploymentId}" is undeployed: deploy it again to run it`,
      );
    }
    await this.environments.assertActive(deployment.environmentName);

    const version = await this.stores.processflows.getVersion(
      deployment.processflowName,
      deployment.version,
    );
    const sinceMark =
      options.full || !version
        ? null
        : await this.stores.sourceMarks.markFor(deploymentId, version.definition.source);
    const execution = await this.stores.executions.create({
      deploymentId,
      kind: 'main',
      version: deployment.version,
      trigger,
      sinceMark,
    });
    try {
      await this.launcher.start(deployment, execution);
    } catch (error) {
      await this.stores.executions.finish(execution.id, 'failed', 'could not start the workflow');
      throw error;
    }
    this.log.info(
      { deploymentId, executionId: execution.id, workflowId: execution.workflowId },
      'execution started',
    );
    await this.audit.record(actor, {
      action: 'execution.start',
      environment: deployment.environmentName,
      target: deploymentId,
      details: { executionId: execution.id, workflowId: execution.workflowId },
    });
    return execution;
  }

  async get(id: number): Promise<Execution> {
    const execution = await this.stores.executions.get(id);
    if (!execution) throw new NotFoundError(`execution ${id} does not exist`);
    return execution;
  }

  async list(deploymentId: string, limit: number, beforeId?: number): Promise<Execution[]> {
    await this.deployments.get(deploymentId);
    return this.stores.executions.listByDeployment(deploymentId, limit, beforeId);
  }

  /** Asks a running execution to stop; what it has not finished stays Unprocessed. */
  async cancel(id: number, actor: Actor = systemActor('system')): Promise<Execution> {
    const execution = await this.get(id);
    if (execution.status !== 'running') {
      throw new ConflictError(`execution ${id} is ${execution.status}, not running`);
    }
    await this.launcher.cancel(execution);
    this.log.info(
      { executionId: id, workflowId: execution.workflowId },
      'execution cancel requested',
    );
    await this.audit.record(actor, {
      action: 'execution.cancel',
      environment: environmentOfDeployment(execution.deploymentId),
      target: execution.deploymentId,
      details: { executionId: id, workflowId: execution.workflowId },
    });
    return execution;
  }
}
