import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Deployment } from '../domain/deployment';
import { taskQueueFor } from '../domain/environment';
import type { RetrySchedule } from '../domain/retry-schedule';
import { retryCoordinator } from '../workflows/retry-coordinator';
import { retrySettingsSignal, stopRetriesSignal } from '../workflows/retry-messages';
import {
  deploymentKey,
  environmentKey,
  processflowKey,
  runKindKey,
} from '../workflows/search-attributes';
import { coordinatorWorkflowId } from './workflow-ids';

/** Starts, updates or stops a deployment's automatic retries after a deploy or undeploy. */
export interface RetryControl {
  apply(deployment: Deployment): Promise<void>;
}

export function retryScheduleOf(deployment: Deployment): RetrySchedule {
  const { frequency, retryDailyAt, interval, timezone } = deployment.settings;
  return {
    frequency,
    retryDailyAt,
    interval,
    timezone,
    anchorAt: deployment.retryAnchorAt.getTime(),
  };
}

export class TemporalRetryControl implements RetryControl {
  constructor(private readonly client: Client) {}

  async apply(deployment: Deployment): Promise<void> {
    const workflowId = coordinatorWorkflowId(deployment.id);
    if (deployment.status === 'deployed' && deployment.settings.mode === 'auto') {
      const schedule = retryScheduleOf(deployment);
      await this.client.workflow.signalWithStart(retryCoordinator, {
        workflowId,
        taskQueue: taskQueueFor(deployment.environmentName),
        args: [
          {
            deploymentId: deployment.id,
            processflowName: deployment.processflowName,
            environmentName: deployment.environmentName,
            schedule,
            lastSlotAt: null,
          },
        ],
        signal: retrySettingsSignal,
        signalArgs: [schedule],
        typedSearchAttributes: [
          { key: processflowKey, value: deployment.processflowName },
          { key: deploymentKey, value: deployment.id },
          { key: environmentKey, value: deployment.environmentName },
          { key: runKindKey, value: 'retry-slots' },
        ],
        staticSummary: `automatic retry slots of ${deployment.id}`,
      });
      return;
    }
    try {
      await this.client.workflow.getHandle(workflowId).signal(stopRetriesSignal);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
}
