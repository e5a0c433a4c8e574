import type { ChunkResult } from '../workflows/run-chunks';
import type { ActivityDeps } from './activity-deps';
import { toActivityFailure } from './activity-failures';
import { keepHeartbeating } from './keep-heartbeating';
import { attemptChunks } from './retry-activities';

export function createResyncActivities(deps: ActivityDeps) {
  return {
    /** Attempts the next pending items of a manual resync; reports done when none are left. */
    async attemptResyncChunk(input: {
      executionId: number;
      resyncId: string;
    }): Promise<ChunkResult> {
      try {
        return await keepHeartbeating(input, () =>
          attemptChunks(
            deps,
            input.executionId,
            (limit) => deps.resyncs.pendingChunk(input.resyncId, limit),
            {
              afterOutcomes: (trx, outcomes) =>
                deps.resyncs.recordOutcomes(trx, input.resyncId, outcomes),
            },
          ),
        );
      } catch (error) {
        throw toActivityFailure(error);
      }
    },
  };
}
