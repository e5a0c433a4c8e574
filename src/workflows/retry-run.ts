import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { chunkActivityOptions, runChunks } from './run-chunks';

export interface RetryRunInput {
  executionId: number;
  deploymentId: string;
}

const { attemptClaimedChunk } = proxyActivities<Activities>(chunkActivityOptions);

/**
 * One automatic retry run (execution/<deployment>/<n>): attempts the records its slot claimed,
 * re-fetching each from the source by id, in chunks.
 */
export async function retryRun(input: RetryRunInput) {
  return runChunks(input.executionId, () =>
    attemptClaimedChunk({ executionId: input.executionId }),
  );
}
