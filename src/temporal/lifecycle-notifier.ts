import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { taskQueueFor } from '../domain/environment';
import type { Deployment } from '../domain/deployment';
import { type LifecycleInput, recordRetryLifecycle } from '../workflows/record-retry-lifecycle';
import {
  pauseLifecycleSignal,
  recordAttemptedSignal,
  type RecordStanding,
} from '../workflows/retry-messages';
import {
  deploymentKey,
  environmentKey,
  nextRetryAtKey,
  processflowKey,
  retryStateKey,
  sourceIdKey,
} from '../workflows/search-attributes';
import { lifecycleWorkflowId } from './workflow-ids';

export interface LifecycleNews {
  sourceId: string;
  standing: RecordStanding;
}

/** Calls to Temporal in flight at once, so a wave of failures does not flood the server. */
const CONCURRENCY = 16;
/** A lifecycle started with a delay wakes this long before its planned retry. */
const WAKE_BEFORE_MS = 60_000;
/** Search attribute values are capped at 2 KB. */
const MAX_SOURCE_ID_ATTRIBUTE = 1_000;

/**
 * Tells record retry lifecycles what happened to their record: starts one where a record now
 * waits for automatic retries and none is live, updates a live one, and lets an ended one be.
 */
export class LifecycleNotifier {
  constructor(
    private readonly client: Client,
    /** Temporal's time, in milliseconds: start delays are measured on the server's clock. */
    private readonly now: () => number = Date.now,
  ) {}

  async tell(
    deployment: Deployment,
    news: LifecycleNews[],
    onProgress?: () => void,
  ): Promise<void> {
    await forEachLimited(news, async (item) => {
      if (item.standing.retryState === 'waiting' || item.standing.retryState === 'claimed') {
        await this.ensure(deployment, item);
      } else {
        await this.signalIfLive(lifecycleWorkflowId(deployment.id, item.sourceId), item.standing);
      }
      onProgress?.();
    });
  }

  /** Ends the live lifecycles of these records: the deployment left auto mode. */
  async pause(deploymentId: string, sourceIds: string[], onProgress?: () => void): Promise<void> {
    await forEachLimited(sourceIds, async (sourceId) => {
      try {
        await this.client.workflow
          .getHandle(lifecycleWorkflowId(deploymentId, sourceId))
          .signal(pauseLifecycleSignal);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
      onProgress?.();
    });
  }

  /**
   * A record that has just started waiting gets a lifecycle whose first workflow task is
   * delayed until just before its planned retry: a wave of failures then costs the server one
   * write per record, and no workflow task runs until there is something to do (a signal ends
   * the delay at once). A record that has spent automatic retries has a live lifecycle, which is
   * signalled, or started when it is gone (signal-with-start).
   */
  private async ensure(deployment: Deployment, item: LifecycleNews) {
    if (item.standing.autoRetriesUsed === 0) {
      try {
        await this.client.workflow.start(recordRetryLifecycle, {
          ...this.lifecycleOptions(deployment, item),
          startDelay: this.delayUntil(item.standing.nextRetryAt),
        });
        return;
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
    await this.client.workflow.signalWithStart(recordRetryLifecycle, {
      ...this.lifecycleOptions(deployment, item),
      signal: recordAttemptedSignal,
      signalArgs: [item.standing],
    });
  }

  private lifecycleOptions(deployment: Deployment, item: LifecycleNews) {
    const { standing } = item;
    return {
      workflowId: lifecycleWorkflowId(deployment.id, item.sourceId),
      taskQueue: taskQueueFor(deployment.environmentName),
      args: [{ deploymentId: deployment.id, sourceId: item.sourceId, standing }] as [
        LifecycleInput,
      ],
      typedSearchAttributes: [
        { key: processflowKey, value: deployment.processflowName },
        { key: deploymentKey, value: deployment.id },
        { key: environmentKey, value: deployment.environmentName },
        { key: sourceIdKey, value: item.sourceId.slice(0, MAX_SOURCE_ID_ATTRIBUTE) },
        { key: retryStateKey, value: standing.retryState ?? 'stopped' },
        ...(standing.nextRetryAt
          ? [{ key: nextRetryAtKey, value: new Date(standing.nextRetryAt) }]
          : []),
      ],
      staticSummary: `automatic retries of record ${item.sourceId.slice(0, 200)}`,
    };
  }

  /**
   * Milliseconds until shortly before a planned retry; undefined (no delay) when that is near.
   * The lifecycle wakes before its slot, so the retry run's news never races the end of the
   * delay (the time-skipping test server mishandles a signal that meets it).
   */
  private delayUntil(nextRetryAt: string | null): number | undefined {
    const wait = nextRetryAt === null ? 0 : Date.parse(nextRetryAt) - this.now() - WAKE_BEFORE_MS;
    return wait >= 1_000 ? wait : undefined;
  }

  private async signalIfLive(workflowId: string, standing: RecordStanding) {
    try {
      await this.client.workflow.getHandle(workflowId).signal(recordAttemptedSignal, standing);
    } catch (error) {
      // No live lifecycle: nothing waits for this news.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
}

async function forEachLimited<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
