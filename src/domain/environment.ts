export interface Environment {
  name: string;
  description: string;
  createdAt: Date;
}

export interface Agent {
  identity: string;
  lastSeenAt: Date;
}

export interface EnvironmentStatus {
  environment: Environment;
  taskQueue: string;
  active: boolean;
  agents: Agent[];
  /** Set when Temporal could not be asked: the status is unknown, not inactive. */
  probeError?: string;
}

/** Each environment's agents poll this task queue. */
export function taskQueueFor(environmentName: string): string {
  return `processflow-${environmentName}`;
}
