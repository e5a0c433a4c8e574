import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ExecutionTotals } from '../domain/execution';
import { laterMark } from '../domain/high-water-mark';

export interface ExecutionInput {
  executionId: number;
  deploymentId: string;
  cursor: string | null;
  totals: ExecutionTotals;
  /** Incremental sources: the highest change mark seen so far; kept only if the run completes. */
  reachedMark?: string | null;
}

/**
 * Page activities (each up to ten pages) per run before continuing as new, so that a run of
 * millions keeps a small history.
 */
const PAGES_PER_RUN = 200;

const FATAL = 'FatalConnectorError';

const { processPage } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  // A cancelled run waits for the page in progress to roll back before it reports cancelled,
  // so no outcome lands after the run has ended.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [FATAL],
  },
});

const { finishExecution } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});

/**
 * One run of a deployment: pages through the source until it is exhausted. A fatal connector
 * error stops the run; what it did not reach stays Unprocessed. Cancelling leaves the page in
 * progress Unprocessed too.
 */
export async function processflowExecution(input: ExecutionInput): Promise<ExecutionTotals> {
  let { cursor, totals } = input;
  let reachedMark = input.reachedMark ?? null;
  try {
    for (let pagesThisRun = 0; ; pagesThisRun++) {
      if (pagesThisRun >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
        return await continueAsNew<typeof processflowExecution>({
          ...input,
          cursor,
          totals,
          reachedMark,
        });
      }
      const page = await processPage({ executionId: input.executionId, cursor, totals });
      reachedMark = laterMark(reachedMark, page.highWaterMark);
      totals = {
        fetched: totals.fetched + page.fetched,
        succeeded: totals.succeeded + page.succeeded,
        failed: totals.failed + page.failed,
        // Activities that ran one page each, before they took several, reported no count.
        pages: totals.pages + (page.pages ?? 1),
      };
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() =>
        finishExecution({ executionId: input.executionId, status: 'cancelled' }),
      );
      throw error;
    }
    const message = failureMessage(error);
    log.warn('execution failed', { executionId: input.executionId, error: message });
    await finishExecution({
      executionId: input.executionId,
      status: 'failed',
      error: message,
    });
    throw ApplicationFailure.create({
      type: 'ExecutionFailed',
      message,
      nonRetryable: true,
      cause: error as Error,
    });
  }

  // Only here, once every page is done, may the source's high-water mark move.
  return await finishExecution({
    executionId: input.executionId,
    status: 'completed',
    reachedMark,
  });
}

function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === FATAL) return cause.message;
  return cause instanceof Error ? cause.message : String(cause);
}
