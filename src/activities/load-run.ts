import { FatalConnectorError } from '../connectors/connector-errors';
import type { ActivityDeps } from './activity-deps';

/** The execution, its deployment and the processflow version it runs. */
export async function loadRun(deps: ActivityDeps, executionId: number) {
  const execution = await deps.executions.get(executionId);
  if (!execution) throw new FatalConnectorError(`execution ${executionId} does not exist`);
  const deployment = await deps.deployments.get(execution.deploymentId);
  if (!deployment)
    throw new FatalConnectorError(`deployment ${execution.deploymentId} does not exist`);
  const version = await deps.processflows.getVersion(deployment.processflowName, execution.version);
  if (!version) {
    throw new FatalConnectorError(
      `processflow ${deployment.processflowName} has no version ${execution.version}`,
    );
  }
  return { execution, deployment, definition: version.definition };
}
