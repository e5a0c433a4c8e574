import { type Actor, systemActor } from '../domain/access';
import type { Deployment } from '../domain/deployment';
import { deploymentId } from '../domain/deployment';
import { NotFoundError } from '../domain/errors';
import { changeSettings, type SyncSettingsChange } from '../domain/sync-settings';
import type { Stores } from '../stores/create-stores';
import type { ExecutionLauncher } from '../temporal/execution-launcher';
import type { RetryControl } from '../temporal/retry-control';
import type { AuditService } from './audit-service';

export interface DeployedProcessflow {
  deployment: Deployment;
  description: string;
  snapshotCount: number;
  tries: number;
  counts: { Success: number; Failed: number; Unprocessed: number };
}

export class DeploymentService {
  constructor(
    private readonly stores: Pick<
      Stores,
      'environments' | 'processflows' | 'deployments' | 'ledger' | 'snapshots' | 'executions'
    >,
    private readonly retries: RetryControl,
    private readonly launcher: Pick<ExecutionLauncher, 'cancel'>,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Deploys a processflow version (default: the latest) to an environment, or redeploys it.
   * Settings change field by field: a redeploy keeps what it does not mention, a first deploy
   * starts from the defaults (manual mode).
   */
  async deploy(
    input: {
      environmentName: string;
      processflowName: string;
      version?: number;
      /** The settings to change; omitted ones keep their current values (or the defaults). */
      settings?: SyncSettingsChange;
    },
    actor: Actor = systemActor('system'),
  ) {
    if (!(await this.stores.environments.get(input.environmentName))) {
      throw new NotFoundError(`environment "${input.environmentName}" does not exist`);
    }
    const version =
      input.version === undefined
        ? await this.stores.processflows.getLatest(input.processflowName)
        : await this.stores.processflows.getVersion(input.processflowName, input.version);
    if (!version) {
      const which = input.version === undefined ? '' : ` version ${input.version}`;
      throw new NotFoundError(`processflow "${input.processflowName}"${which} does not exist`);
    }
    const id = deploymentId(input.processflowName, input.environmentName);
    const settings = changeSettings(
      (await this.stores.deployments.get(id))?.settings,
      input.settings ?? {},
    );
    const deployed = await this.stores.deployments.deploy({
      processflowName: input.processflowName,
      environmentName: input.environmentName,
      version: version.version,
      settings,
      at: this.now(),
    });
    await this.retries.apply(deployed.deployment);
    await this.audit.record(actor, {
      action: deployed.created ? 'deployment.deploy' : 'deployment.redeploy',
      environment: input.environmentName,
      target: id,
      details: { version: version.version, settings },
    });
    return deployed;
  }

  /**
   * Undeploys: automatic retries stop, running main runs are cancelled (records they fetched
   * for the first time and did not finish stay Unprocessed), and the ledger is kept. Retry runs
   * and resyncs already under way finish their records.
   */
  async undeploy(
    environmentName: string,
    processflowName: string,
    actor: Actor = systemActor('system'),
  ): Promise<Deployment> {
    const id = deploymentId(processflowName, environmentName);
    const deployment = await this.stores.deployments.undeploy(id, this.now());
    if (!deployment) throw new NotFoundError(`deployment "${id}" does not exist`);
    await this.retries.apply(deployment);
    const cancelled = await this.cancelMainRuns(id);
    await this.audit.record(actor, {
      action: 'deployment.undeploy',
      environment: environmentName,
      target: id,
      ...(cancelled.length > 0 ? { details: { cancelledExecutions: cancelled } } : {}),
    });
    return deployment;
  }

  /** Asks each running main run of the deployment to stop; answers their ids. */
  private async cancelMainRuns(id: string): Promise<number[]> {
    const running = await this.stores.executions.listRunning(id, 'main');
    for (const execution of running) await this.launcher.cancel(execution);
    return running.map((execution) => execution.id);
  }

  async get(id: string): Promise<Deployment> {
    const deployment = await this.stores.deployments.get(id);
    if (!deployment) throw new NotFoundError(`deployment "${id}" does not exist`);
    return deployment;
  }

  /** The deployed processflows of an environment, with what Sync Info counts for each. */
  async listForEnvironment(environmentName: string): Promise<DeployedProcessflow[]> {
    if (!(await this.stores.environments.get(environmentName))) {
      throw new NotFoundError(`environment "${environmentName}" does not exist`);
    }
    const deployments = await this.stores.deployments.listByEnvironment(environmentName);
    return Promise.all(deployments.map((deployment) => this.summarise(deployment)));
  }

  private async summarise(deployment: Deployment): Promise<DeployedProcessflow> {
    const [version, counts, snapshotCount] = await Promise.all([
      this.stores.processflows.getVersion(deployment.processflowName, deployment.version),
      this.stores.ledger.countByStatus(deployment.id),
      this.stores.snapshots.countForDeployment(deployment.id),
    ]);
    const { tries, ...byStatus } = counts;
    return {
      deployment,
      description: version?.definition.description ?? '',
      snapshotCount,
      tries,
      counts: byStatus,
    };
  }
}
