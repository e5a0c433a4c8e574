import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Deployment } from '../domain/deployment';
import { taskQueueFor } from '../domain/environment';
import type { Execution } from '../domain/execution';
import { processflowExecution } from '../workflows/processflow-execution';
import { resyncRun } from '../workflows/resync-run';
import {
  deploymentKey,
  environmentKey,
  processflowKey,
  runKindKey,
} from '../workflows/search-attributes';

/** Starts and cancels execution workflows. */
export interface ExecutionLauncher {
  start(deployment: Deployment, execution: Execution): Promise<void>;
  startResync(deployment: Deployment, execution: Execution, resyncId: string): Promise<void>;
  /** Asks a run to stop; resolves quietly when it has already ended. */
  cancel(execution: Execution): Promise<void>;
}

function searchAttributesOf(deployment: Deployment, execution: Execution) {
  return [
    { key: processflowKey, value: deployment.processflowName },
    { key: deploymentKey, value: deployment.id },
    { key: environmentKey, value: deployment.environmentName },
    { key: runKindKey, value: execution.kind },
  ];
}

export class TemporalExecutionLauncher implements ExecutionLauncher {
  constructor(private readonly client: Client) {}

  async start(deployment: Deployment, execution: Execution): Promise<void> {
    await this.client.workflow.start(processflowExecution, {
      taskQueue: taskQueueFor(deployment.environmentName),
      workflowId: execution.workflowId,
      args: [
        {
          executionId: execution.id,
          deploymentId: deployment.id,
          cursor: null,
          totals: { fetched: 0, succeeded: 0, failed: 0, pages: 0 },
        },
      ],
      typedSearchAttributes: searchAttributesOf(deployment, execution),
      staticSummary: `${execution.kind} run ${execution.seq} of ${deployment.id}`,
    });
  }

  async startResync(deployment: Deployment, execution: Execution, resyncId: string): Promise<void> {
    await this.client.workflow.start(resyncRun, {
      taskQueue: taskQueueFor(deployment.environmentName),
      workflowId: execution.workflowId,
      args: [{ executionId: execution.id, deploymentId: deployment.id, resyncId }],
      typedSearchAttributes: searchAttributesOf(deployment, execution),
      staticSummary: `manual resync ${resyncId} of ${deployment.id}`,
    });
  }

  /** Asks the run to stop; a run that has ended meanwhile has nothing left to cancel. */
  async cancel(execution: Execution): Promise<void> {
    try {
      await this.client.workflow.getHandle(execution.workflowId).cancel();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
}
