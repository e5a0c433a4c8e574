import {
  condition,
  continueAsNew,
  executeChild,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { nextSlotAfter, type RetrySchedule } from '../domain/retry-schedule';
import { retryRun } from './retry-run';
import { coordinatorStateQuery, retrySettingsSignal, stopRetriesSignal } from './retry-messages';
import {
  deploymentKey,
  environmentKey,
  nextRetryAtKey,
  processflowKey,
  runKindKey,
} from './search-attributes';

export interface CoordinatorInput {
  deploymentId: string;
  processflowName: string;
  environmentName: string;
  schedule: RetrySchedule;
  /** The last slot served; the next one is the first after it and after now. */
  lastSlotAt: number | null;
}

const SLOTS_PER_RUN = 100;

const { armRetries, pauseRetries, claimRetrySlot } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

/**
 * The retry slots of one auto-mode deployment (workflow id retry-slots/<deployment>). It sleeps
 * on a Temporal timer until the next slot, claims at most batchSize eligible records (oldest
 * first) and runs them as one retry run, a child workflow named like every execution. A slot
 * that passes while no agent serves the environment runs once the agent is back; slots missed
 * meanwhile are not replayed. New settings take effect from the next timer.
 */
export async function retryCoordinator(input: CoordinatorInput): Promise<void> {
  let { schedule, lastSlotAt } = input;
  let changed = false;
  let stopped = false;
  let nextSlotAt: number | null = null;
  setHandler(retrySettingsSignal, (next) => {
    schedule = next;
    changed = true;
  });
  setHandler(stopRetriesSignal, () => void (stopped = true));
  setHandler(coordinatorStateQuery, () => ({
    nextSlotAt: nextSlotAt === null ? null : new Date(nextSlotAt).toISOString(),
    schedule,
  }));

  // A coordinator is always started together with a settings signal, which arms the records
  // already failed (see TemporalRetryControl), so there is nothing to do before the first wait.
  for (let slots = 0; slots < SLOTS_PER_RUN;) {
    nextSlotAt = nextSlotAfter(schedule, Math.max(lastSlotAt ?? 0, Date.now()));
    upsertSearchAttributes([{ key: nextRetryAtKey, value: new Date(nextSlotAt) }]);
    const interrupted = await condition(() => changed || stopped, nextSlotAt - Date.now());

    if (stopped) {
      await pauseRetries({ deploymentId: input.deploymentId });
      return;
    }
    if (interrupted) {
      changed = false;
      await armRetries({ deploymentId: input.deploymentId });
      continue;
    }

    await runSlot(input, nextSlotAt);
    lastSlotAt = nextSlotAt;
    slots += 1;
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await condition(() => !changed); // a signal that arrived during the last step is carried over
  return continueAsNew<typeof retryCoordinator>({ ...input, schedule, lastSlotAt });
}

async function runSlot(input: CoordinatorInput, slotAt: number) {
  const run = await claimRetrySlot({ deploymentId: input.deploymentId, slotAt });
  if (!run) return;
  await executeChild(retryRun, {
    workflowId: run.workflowId,
    args: [{ executionId: run.executionId, deploymentId: input.deploymentId }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    typedSearchAttributes: [
      { key: processflowKey, value: input.processflowName },
      { key: deploymentKey, value: input.deploymentId },
      { key: environmentKey, value: input.environmentName },
      { key: runKindKey, value: 'retry' },
    ],
  });
}
