import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { runChunks } from './run-chunks';

export interface RetryRunInput {
  executionId: number;
  deploymentId: string;
}

const { attemptClaimedChunk } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['FatalConnectorError'],
  },
});

/**
 * One automatic retry run (execution/<deployment>/<n>): attempts the records its slot claimed,
 * re-fetching each from the source by id, in chunks.
 */
export async function retryRun(input: RetryRunInput) {
  return runChunks(input.executionId, () =>
    attemptClaimedChunk({ executionId: input.executionId }),
  );
}
