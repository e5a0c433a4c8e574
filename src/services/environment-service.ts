import { type Actor, systemActor } from '../domain/access';
import { type EnvironmentStatus, taskQueueFor } from '../domain/environment';
import { ConflictError, NotFoundError, UnavailableError } from '../domain/errors';
import type { Logger } from '../logger';
import type { AgentProbe } from '../temporal/agent-probe';
import type { EnvironmentStore } from '../stores/environment-store';
import type { AuditService } from './audit-service';

export class EnvironmentService {
  constructor(
    private readonly environments: EnvironmentStore,
    private readonly probe: AgentProbe,
    private readonly audit: AuditService,
    private readonly log: Logger,
  ) {}

  async upsert(name: string, description: string, actor: Actor = systemActor('system')) {
    const saved = await this.environments.upsert(name, description);
    await this.audit.record(actor, {
      action: saved.created ? 'environment.create' : 'environment.update',
      environment: name,
      target: name,
      details: { description },
    });
    return saved;
  }

  async list() {
    return this.environments.list();
  }

  async status(name: string): Promise<EnvironmentStatus> {
    const environment = await this.environments.get(name);
    if (!environment) throw new NotFoundError(`environment "${name}" does not exist`);
    const taskQueue = taskQueueFor(name);
    try {
      const agents = await this.probe.liveAgents(taskQueue);
      return { environment, taskQueue, active: agents.length > 0, agents };
    } catch (error) {
      // Temporal itself is out of reach: that is not a detached agent, and says so.
      this.log.warn({ err: error, environment: name }, 'agent probe failed');
      return {
        environment,
        taskQueue,
        active: false,
        agents: [],
        probeError: (error as Error).message,
      };
    }
  }

  /** Throws a conflict that says what to do when no agent serves the environment. */
  async assertActive(name: string): Promise<EnvironmentStatus> {
    const status = await this.status(name);
    if (status.probeError) {
      throw new UnavailableError(
        `cannot tell whether environment "${name}" has an agent: Temporal did not answer ` +
          `(${status.probeError}); check that the Temporal server is reachable, then try again`,
      );
    }
    if (!status.active) {
      throw new ConflictError(
        `environment "${name}" has no agent attached (detached or disconnected): start one with ` +
          `"npm run worker -- --environment ${name}", then try again`,
      );
    }
    return status;
  }
}
