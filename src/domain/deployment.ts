import type { SyncSettings } from './sync-settings';

export type DeploymentStatus = 'deployed' | 'undeployed';

export interface Deployment {
  id: string;
  processflowName: string;
  environmentName: string;
  version: number;
  status: DeploymentStatus;
  settings: SyncSettings;
  executionCount: number;
  deployedAt: Date;
  updatedAt: Date;
  undeployedAt: Date | null;
}

/** Deployment ids read well in the Temporal UI and stay the same across redeploys. */
export function deploymentId(processflowName: string, environmentName: string): string {
  return `${processflowName}@${environmentName}`;
}
