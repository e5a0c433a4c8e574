import {
  ChildWorkflowFailure,
  continueAsNew,
  executeChild,
  isCancellation,
  log,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { waitOrTimeout } from './wait-or-timeout';
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
  /** A request carried over from the run before a continue-as-new. */
  pending?: PendingRequest;
}

type PendingRequest = 'arm' | 'stop' | null;

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
  // The latest request not yet acted on: the last signal wins, whatever arrives while an
  // activity runs (a stop followed at once by new auto settings resumes retries).
  let pending: PendingRequest = input.pending ?? null;
  let nextSlotAt: number | null = null;
  setHandler(retrySettingsSignal, (next) => {
    schedule = next;
    pending = 'arm';
  });
  setHandler(stopRetriesSignal, () => void (pending = 'stop'));
  setHandler(coordinatorStateQuery, () => ({
    nextSlotAt: nextSlotAt === null ? null : new Date(nextSlotAt).toISOString(),
    schedule,
  }));

  // A coordinator is always started together with a settings signal, which arms the records
  // already failed (see TemporalRetryControl), so there is nothing to do before the first wait.
  for (let slots = 0; slots < SLOTS_PER_RUN;) {
    if (pending !== null) {
      const request = pending;
      pending = null;
      if (request === 'stop') {
        await pauseRetries({ deploymentId: input.deploymentId });
        if (pending === null) return;
      } else {
        await armRetries({ deploymentId: input.deploymentId });
      }
      continue;
    }

    nextSlotAt = nextSlotAfter(schedule, Math.max(lastSlotAt ?? 0, Date.now()));
    upsertSearchAttributes([{ key: nextRetryAtKey, value: new Date(nextSlotAt) }]);
    if (await waitOrTimeout(() => pending !== null, nextSlotAt - Date.now())) continue;

    await runSlot(input, nextSlotAt);
    lastSlotAt = nextSlotAt;
    slots += 1;
    if (workflowInfo().continueAsNewSuggested) break;
  }
  return continueAsNew<typeof retryCoordinator>({ ...input, schedule, lastSlotAt, pending });
}

async function runSlot(input: CoordinatorInput, slotAt: number) {
  const run = await claimRetrySlot({ deploymentId: input.deploymentId, slotAt });
  if (!run) return;
  try {
    await runClaimed(input, run);
  } catch (error) {
    // A retry run that failed (the destination down past its activity retries) must not end
    // the coordinator: its claims are released at the next slot, which tries them again.
    if (isCancellation(error)) throw error;
    log.warn('retry run failed; its records wait for the next slot', {
      deploymentId: input.deploymentId,
      executionId: run.executionId,
      error: failureMessage(error),
    });
  }
}

/** A child's failure says only that it failed; what failed it is its cause. */
function failureMessage(error: unknown): string {
  const cause = error instanceof ChildWorkflowFailure ? (error.cause ?? error) : error;
  return cause instanceof Error ? cause.message : String(cause);
}

async function runClaimed(
  input: CoordinatorInput,
  run: { executionId: number; workflowId: string },
) {
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
