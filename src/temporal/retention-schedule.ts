import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type ScheduleOptions,
} from '@temporalio/client';
import { taskQueueFor } from '../domain/environment';
import { snapshotRetention } from '../workflows/snapshot-retention';
import { environmentKey, runKindKey } from '../workflows/search-attributes';

export interface RetentionSettings {
  days: number;
  batchSize: number;
  everyMinutes: number;
}

export const retentionScheduleId = (environment: string) => `snapshot-retention/${environment}`;

/**
 * Creates the environment's snapshot-retention schedule, or brings an existing one to these
 * settings. A purge still running when the next is due makes that one skip.
 */
export async function ensureRetentionSchedule(
  client: Client,
  environment: string,
  retention: RetentionSettings,
): Promise<void> {
  const scheduleId = retentionScheduleId(environment);
  const options = {
    scheduleId,
    spec: { intervals: [{ every: `${retention.everyMinutes} minutes` }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    action: {
      type: 'startWorkflow' as const,
      workflowType: snapshotRetention,
      workflowId: `snapshot-purge/${environment}`,
      taskQueue: taskQueueFor(environment),
      args: [
        { environment, retentionDays: retention.days, batchSize: retention.batchSize },
      ] as const,
      typedSearchAttributes: [
        { key: environmentKey, value: environment },
        { key: runKindKey, value: 'snapshot-retention' },
      ],
    },
  } satisfies ScheduleOptions;
  try {
    await client.schedule.create(options);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      policies: { ...previous.policies, ...options.policies },
      action: { ...previous.action, ...options.action },
    }));
  }
}
