import {
  type ActivityOptions,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ExecutionTotals } from '../domain/execution';

export interface ChunkResult {
  done: boolean;
  attempted: number;
  succeeded: number;
  failed: number;
}

/** Chunk activities: long, heartbeating, retried on transient faults, stopped by fatal ones. */
export const chunkActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['FatalConnectorError'],
  },
} satisfies ActivityOptions;

const { finishExecution } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});

/**
 * Runs chunk activities until one reports done, keeping the run's totals, and records how the
 * run ended. Shared by retry runs and resyncs; a fatal connector error stops the run. Each chunk
 * activity works through thousands of records, so even a resync of millions keeps its history
 * well inside Temporal's limits without continuing as new.
 */
export async function runChunks(
  executionId: number,
  chunk: () => Promise<ChunkResult>,
  totals: ExecutionTotals = { fetched: 0, succeeded: 0, failed: 0, pages: 0 },
): Promise<ExecutionTotals> {
  try {
    for (;;) {
      const result = await chunk();
      totals = {
        fetched: totals.fetched + result.attempted,
        succeeded: totals.succeeded + result.succeeded,
        failed: totals.failed + result.failed,
        pages: totals.pages + 1,
      };
      if (result.done) break;
    }
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() =>
        finishExecution({ executionId, status: 'cancelled' }),
      );
      throw error;
    }
    const cause = error instanceof ActivityFailure ? error.cause : error;
    const message = cause instanceof Error ? cause.message : String(cause);
    await finishExecution({ executionId, status: 'failed', error: message });
    throw ApplicationFailure.create({
      type: 'ExecutionFailed',
      message,
      nonRetryable: true,
      cause: error as Error,
    });
  }
  // The run's own row has the exact totals: a chunk that failed after committing some of its
  // batches added them there, though its result never reached this workflow.
  return await finishExecution({ executionId, status: 'completed' });
}
