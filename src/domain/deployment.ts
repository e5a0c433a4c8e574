import type { RunSchedule } from './run-schedule';
import type { SyncSettings } from './sync-settings';

export type DeploymentStatus = 'deployed' | 'undeployed';

export interface Deployment {
  id: string;
  processflowName: string;
  environmentName: string;
  version: number;
  status: DeploymentStatus;
  settings: SyncSettings;
  /** When main runs start by themselves; null: by hand only. */
  runSchedule: RunSchedule | null;
  executionCount: number;
  deployedAt: Date;
  updatedAt: Date;
  undeployedAt: Date | null;
  /** Hourly retry slots fall on this instant plus whole intervals. */
  retryAnchorAt: Date;
}

/** Deployment ids read well in the Temporal UI and stay the same across redeploys. */
export function deploymentId(processflowName: string, environmentName: string): string {
  return `${processflowName}@${environmentName}`;
}
