import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { chunkActivityOptions, runChunks } from './run-chunks';

export interface ResyncRunInput {
  executionId: number;
  deploymentId: string;
  resyncId: string;
}

const { attemptResyncChunk } = proxyActivities<Activities>(chunkActivityOptions);

/**
 * A manual resync (execution/<deployment>/<n>): re-fetches the selected records from the source
 * by id and attempts them with the deployment's current processflow version, in chunks.
 */
export async function resyncRun(input: ResyncRunInput) {
  return runChunks(input.executionId, () =>
    attemptResyncChunk({ executionId: input.executionId, resyncId: input.resyncId }),
  );
}
