import { type EnvironmentStatus, taskQueueFor } from '../domain/environment';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { AgentProbe } from '../temporal/agent-probe';
import type { EnvironmentStore } from '../stores/environment-store';

export class EnvironmentService {
  constructor(
    private readonly environments: EnvironmentStore,
    private readonly probe: AgentProbe,
  ) {}

  async upsert(name: string, description: string) {
    return this.environments.upsert(name, description);
  }

  async list() {
    return this.environments.list();
  }

  async status(name: string): Promise<EnvironmentStatus> {
    const environment = await this.environments.get(name);
    if (!environment) throw new NotFoundError(`environment "${name}" does not exist`);
    const taskQueue = taskQueueFor(name);
    const agents = await this.probe.liveAgents(taskQueue).catch(() => []);
    return { environment, taskQueue, active: agents.length > 0, agents };
  }

  /** Throws a conflict that says what to do when no agent serves the environment. */
  async assertActive(name: string): Promise<EnvironmentStatus> {
    const status = await this.status(name);
    if (!status.active) {
      throw new ConflictError(
        `environment "${name}" has no agent attached (detached or disconnected): start one with ` +
          `"npm run worker -- --environment ${name}", then try again`,
      );
    }
    return status;
  }
}
