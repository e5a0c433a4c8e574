import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Agent } from '../domain/environment';
import type { AgentStore } from '../stores/agent-store';

const { TaskQueueKind, TaskQueueType } = temporal.api.enums.v1;

/** A poller seen within this window counts as a live agent; the server drops it after ~5 min. */
const LIVE_WINDOW_MS = 70_000;
const PROBE_DEADLINE_MS = 3_000;
/**
 * How long an answer is remembered: every Sync Info page shows its environment's status, and
 * asking Temporal each time made up most of the page's latency. Liveness is judged over
 * LIVE_WINDOW_MS anyway; an answer without agents is kept only briefly, so that an agent that
 * attaches shows within a second.
 */
const REMEMBER_AGENTS_MS = 5_000;
const REMEMBER_NO_AGENTS_MS = 1_000;

/** Tells which agents (workers) poll an environment's task queue. */
export interface AgentProbe {
  liveAgents(taskQueue: string): Promise<Agent[]>;
}

/**
 * Asks Temporal who polls the task queue, for workflow and for activity tasks: an agent must
 * serve both to run anything. Answers within a few seconds or throws.
 */
export class TemporalAgentProbe implements AgentProbe {
  private readonly found = new Map<string, { until: number; agents: Agent[] }>();

  constructor(
    private readonly client: Client,
    /** Agents that stopped cleanly: their pollers linger in Temporal for about a minute. */
    private readonly stopped?: Pick<AgentStore, 'stoppedAt'>,
  ) {}

  async liveAgents(taskQueue: string): Promise<Agent[]> {
    const remembered = this.found.get(taskQueue);
    if (remembered && Date.now() < remembered.until) return remembered.agents;
    const agents = await this.askTemporal(taskQueue);
    const keep = agents.length > 0 ? REMEMBER_AGENTS_MS : REMEMBER_NO_AGENTS_MS;
    this.found.set(taskQueue, { until: Date.now() + keep, agents });
    return agents;
  }

  private async askTemporal(taskQueue: string): Promise<Agent[]> {
    const [workflowPollers, activityPollers] = await Promise.all([
      this.pollers(taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
      this.pollers(taskQueue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
    ]);
    const now = Date.now();
    const polling = [...workflowPollers.entries()].filter(
      ([identity, seen]) => activityPollers.has(identity) && now - seen < LIVE_WINDOW_MS,
    );
    const stopped =
      (await this.stopped?.stoppedAt(polling.map(([identity]) => identity))) ?? new Map();
    return polling
      .filter(([identity, seen]) => {
        const stoppedAt = stopped.get(identity);
        return stoppedAt === undefined || stoppedAt.getTime() < seen;
      })
      .map(([identity, seen]) => ({ identity, lastSeenAt: new Date(seen) }));
  }

  private async pollers(taskQueue: string, taskQueueType: temporal.api.enums.v1.TaskQueueType) {
    const response = await this.client.connection.withDeadline(Date.now() + PROBE_DEADLINE_MS, () =>
      this.client.workflowService.describeTaskQueue({
        namespace: this.client.options.namespace,
        taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType,
      }),
    );
    const seen = new Map<string, number>();
    for (const poller of response.pollers ?? []) {
      const at = poller.lastAccessTime;
      if (!poller.identity || !at) continue;
      seen.set(poller.identity, Number(at.seconds ?? 0) * 1000 + Math.floor((at.nanos ?? 0) / 1e6));
    }
    return seen;
  }
}
