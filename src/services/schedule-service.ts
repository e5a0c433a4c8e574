import { type Actor, systemActor } from '../domain/access';
import type { Deployment } from '../domain/deployment';
import { ConflictError, NotFoundError } from '../domain/errors';
import {
  describeRunSchedule,
  type RunSchedule,
  type RunScheduleInput,
  settleRunSchedule,
} from '../domain/run-schedule';
import type { Logger } from '../logger';
import type { Stores } from '../stores/create-stores';
import type { RunScheduleControl, RunScheduleState } from '../temporal/run-schedule-control';
import type { AuditAction } from '../domain/audit-actions';
import type { AuditService } from './audit-service';

export interface DeploymentSchedule {
  deploymentId: string;
  schedule: RunSchedule;
  description: string;
  /** Null when Temporal has no schedule for it (removed by hand) or cannot be reached. */
  state: RunScheduleState | null;
}

/** Scheduled main runs of deployments, carried by Temporal Schedules. */
export class ScheduleService {
  constructor(
    private readonly stores: Pick<Stores, 'deployments'>,
    private readonly control: RunScheduleControl,
    private readonly audit: AuditService,
    private readonly log: Logger,
  ) {}

  /** Sets a deployment's run schedule, creating or changing its Temporal Schedule. */
  async set(
    deploymentId: string,
    input: RunScheduleInput,
    actor: Actor = systemActor('system'),
  ): Promise<DeploymentSchedule> {
    const deployment = await this.deployed(deploymentId);
    const schedule = settleRunSchedule(input, deployment.settings.timezone);
    await this.control.apply(deployment, schedule);
    await this.stores.deployments.setRunSchedule(deploymentId, schedule);
    await this.audit.record(actor, {
      action: 'schedule.set',
      environment: deployment.environmentName,
      target: deploymentId,
      details: { schedule },
    });
    this.log.info({ deploymentId, schedule }, 'run schedule set');
    return this.get(deploymentId);
  }

  /**
   * Removes the schedule: main runs start by hand only. Removing none is done already: the
   * Temporal side is still made sure of, and the audit log records only a removal that was.
   */
  async remove(deploymentId: string, actor: Actor = systemActor('system')): Promise<void> {
    const deployment = await this.deployment(deploymentId);
    await this.control.apply(deployment, null);
    if (deployment.runSchedule === null) return;
    await this.stores.deployments.setRunSchedule(deploymentId, null);
    await this.audit.record(actor, {
      action: 'schedule.remove',
      environment: deployment.environmentName,
      target: deploymentId,
    });
  }

  async get(deploymentId: string): Promise<DeploymentSchedule> {
    const deployment = await this.deployment(deploymentId);
    if (!deployment.runSchedule) {
      throw new NotFoundError(
        `deployment "${deploymentId}" has no run schedule: set one with PUT /deployments/` +
          `${deploymentId}/schedule`,
      );
    }
    return this.withState(deployment, deployment.runSchedule);
  }

  async pause(deploymentId: string, note: string | undefined, actor: Actor) {
    await this.get(deploymentId);
    await this.control.pause(deploymentId, note ?? `paused by ${actor.name}`);
    await this.record(actor, 'schedule.pause', deploymentId, { note });
    return this.get(deploymentId);
  }

  async resume(deploymentId: string, note: string | undefined, actor: Actor) {
    await this.get(deploymentId);
    await this.control.resume(deploymentId, note ?? `resumed by ${actor.name}`);
    await this.record(actor, 'schedule.resume', deploymentId, { note });
    return this.get(deploymentId);
  }

  /** Starts a run through the schedule now; it is skipped if a scheduled run is in progress. */
  async trigger(deploymentId: string, actor: Actor) {
    await this.get(deploymentId);
    await this.control.trigger(deploymentId);
    await this.record(actor, 'schedule.trigger', deploymentId, {});
    return this.get(deploymentId);
  }

  /** The schedules of an environment's deployments, by deployment id, for its deployment list. */
  async forEnvironment(environmentName: string): Promise<Map<string, DeploymentSchedule>> {
    const scheduled = await this.stores.deployments.listScheduled(environmentName);
    const found = await Promise.all(
      scheduled.map((deployment) => this.withState(deployment, deployment.runSchedule!)),
    );
    return new Map(found.map((schedule) => [schedule.deploymentId, schedule]));
  }

  private async withState(deployment: Deployment, schedule: RunSchedule) {
    let state: RunScheduleState | null = null;
    try {
      state = await this.control.describe(deployment.id);
    } catch (error) {
      // Sync Info stays readable while Temporal is out of reach; the schedule shows no state.
      this.log.warn({ err: error, deploymentId: deployment.id }, 'run schedule not described');
    }
    return {
      deploymentId: deployment.id,
      schedule,
      description: describeRunSchedule(schedule),
      state,
    };
  }

  private async record(
    actor: Actor,
    action: AuditAction,
    deploymentId: string,
    details: Record<string, unknown>,
  ) {
    const deployment = await this.deployment(deploymentId);
    await this.audit.record(actor, {
      action,
      environment: deployment.environmentName,
      target: deploymentId,
      details,
    });
  }

  private async deployment(id: string): Promise<Deployment> {
    const deployment = await this.stores.deployments.get(id);
    if (!deployment) throw new NotFoundError(`deployment "${id}" does not exist`);
    return deployment;
  }

  private async deployed(id: string): Promise<Deployment> {
    const deployment = await this.deployment(id);
    if (deployment.status !== 'deployed') {
      throw new ConflictError(`deployment "${id}" is undeployed: deploy it again to schedule it`);
    }
    return deployment;
  }
}
