import { Context } from '@temporalio/activity';
import type { Deployment } from '../domain/deployment';
import { firstSlotAtOrAfter, type RetrySchedule, retrySlotFor } from '../domain/retry-schedule';
import { retryScheduleOf } from '../temporal/retry-control';
import type { ChunkResult } from '../workflows/run-chunks';
import type { RecordStanding } from '../workflows/retry-messages';
import type { ActivityDeps } from './activity-deps';
import { toActivityFailure } from './activity-failures';
import { activityClock } from './activity-clock';
import { attemptById } from './attempt-by-id';
import { attemptContextFor } from './attempt-context';
import { keepHeartbeating } from './keep-heartbeating';
import { loadRun } from './load-run';

/** Records a chunk activity works through before handing back to its workflow. */
const RECORDS_PER_CHUNK_ACTIVITY = 5_000;
/** Lifecycles armed or paused per database round trip. */
const LIFECYCLE_BATCH = 1_000;

class NothingDue extends Error {}

export function createRetryActivities(deps: ActivityDeps) {
  return {
    /**
     * Opens the retry run of a slot: creates its execution and claims its records, once per
     * slot however often it is retried. Answers null when no record is due.
     */
    async claimRetrySlot(input: { deploymentId: string; slotAt: number }) {
      const deployment = await deps.deployments.get(input.deploymentId);
      if (!deployment || deployment.status !== 'deployed' || deployment.settings.mode !== 'auto')
        return null;
      const slotAt = new Date(input.slotAt);

      return deps.db
        .transaction(async (trx) => {
          const existing = await deps.executions.getRetryRun(trx, deployment.id, slotAt);
          if (existing) return { executionId: existing.id, workflowId: existing.workflowId };

          await deps.retries.releaseStaleClaims(trx, deployment.id);
          const execution = await deps.executions.create(
            {
              deploymentId: deployment.id,
              kind: 'retry',
              version: deployment.version,
              trigger: 'retry slot',
              slotAt,
            },
            trx,
          );
          const claimed = await deps.retries.claim(trx, {
            deploymentId: deployment.id,
            executionId: execution.id,
            slotAt,
            timeLapseMinutes: deployment.settings.timeLapse,
            batchSize: deployment.settings.batchSize,
          });
          // Nothing due: roll back, so the execution and its sequence number were never taken.
          if (claimed === 0) throw new NothingDue();
          Context.current().log.info('retry slot claimed', {
            deploymentId: deployment.id,
            executionId: execution.id,
            slotAt: slotAt.toISOString(),
            claimed,
          });
          return { executionId: execution.id, workflowId: execution.workflowId };
        })
        .catch((error) => {
          if (error instanceof NothingDue) return null;
          throw error;
        });
    },

    /** Attempts the next claimed records of a retry run; reports done when none are left. */
    async attemptClaimedChunk(input: { executionId: number }): Promise<ChunkResult> {
      try {
        return await keepHeartbeating(input, () =>
          attemptChunks(deps, input.executionId, (limit) =>
            deps.retries.claimedChunk(input.executionId, limit),
          ),
        );
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Starts lifecycles for failed records that have none: the deployment entered auto mode. */
    async armRetries(input: { deploymentId: string }): Promise<number> {
      const deployment = await deps.deployments.get(input.deploymentId);
      if (!deployment || deployment.settings.mode !== 'auto' || deployment.status !== 'deployed')
        return 0;
      const now = activityClock()();
      const schedule = retryScheduleOf(deployment);
      await replanWaiting(deps, deployment, schedule, now.getTime());
      const nextRetryAt = new Date(retrySlotFor(schedule, now.getTime(), 0));
      let armed = 0;
      for (;;) {
        const batch = await deps.retries.arm(deployment.id, nextRetryAt, LIFECYCLE_BATCH);
        if (batch.length === 0) return armed;
        await deps.notifier.tell(deployment, batch, () => Context.current().heartbeat());
        armed += batch.length;
      }
    },

    /** Ends every waiting lifecycle of a deployment that left auto mode; the ledger keeps them. */
    async pauseRetries(input: { deploymentId: string }): Promise<number> {
      let paused = 0;
      for (;;) {
        const batch = await deps.retries.pause(input.deploymentId, LIFECYCLE_BATCH);
        if (batch.length === 0) return paused;
        await deps.notifier.pause(input.deploymentId, batch, () => Context.current().heartbeat());
        paused += batch.length;
      }
    },

    /** A record's standing as the ledger has it, for a lifecycle that heard nothing for long. */
    async readRecordStanding(input: {
      deploymentId: string;
      sourceId: string;
    }): Promise<RecordStanding> {
      const standing = await deps.retries.standing(input.deploymentId, input.sourceId);
      if (!standing)
        return {
          status: 'Unprocessed',
          tries: 0,
          retryState: null,
          autoRetriesUsed: 0,
          nextRetryAt: null,
        };
      if (standing.retryState !== 'waiting' || !standing.nextRetryAt) return standing;

      const deployment = await deps.deployments.get(input.deploymentId);
      const now = activityClock()().getTime();
      if (!deployment || Date.parse(standing.nextRetryAt) > now) return standing;
      // Its planned slot passed and a full batch left it waiting: it goes at a later slot.
      const next = retrySlotFor(retryScheduleOf(deployment), now, 0);
      return { ...standing, nextRetryAt: new Date(next).toISOString() };
    },
  };
}

/**
 * Attempts records chunk by chunk (a page each) until `nextIds` has none left or the activity
 * has done its share; shared by retry runs and resyncs.
 */
export async function attemptChunks(
  deps: ActivityDeps,
  executionId: number,
  nextIds: (limit: number) => Promise<string[]>,
  afterOutcomes?: Parameters<typeof attemptContextFor>[3],
): Promise<ChunkResult> {
  const run = await loadRun(deps, executionId);
  const flow = await deps.runtime.open(
    run.definition,
    run.execution.version,
    Context.current().cancellationSignal,
  );
  const result: ChunkResult = { done: false, attempted: 0, succeeded: 0, failed: 0 };
  try {
    while (result.attempted < RECORDS_PER_CHUNK_ACTIVITY) {
      const ids = await nextIds(deps.pageSize);
      if (ids.length === 0) return { ...result, done: true };
      const ctx = attemptContextFor(deps, run, flow, afterOutcomes);
      const counts = await attemptById(deps, run, flow, ctx, ids);
      result.attempted += ids.length - counts.repeated;
      result.succeeded += counts.succeeded;
      result.failed += counts.failed;
    }
    return result;
  } finally {
    await flow.close();
  }
}

/**
 * New settings move the retry of every waiting record to the slot that will take it now: the
 * first one at or after its last attempt plus the time lapse, and not before the next slot. Sync
 * Info and the lifecycles (their timers and the Temporal UI's NextRetryAt) hear of each move.
 */
async function replanWaiting(
  deps: ActivityDeps,
  deployment: Deployment,
  schedule: RetrySchedule,
  now: number,
) {
  const nextSlot = firstSlotAtOrAfter(schedule, now);
  let after: string | null = null;
  for (;;) {
    const waiting = await deps.retries.waitingAfter(deployment.id, after, LIFECYCLE_BATCH);
    if (waiting.length === 0) return;
    after = waiting[waiting.length - 1].sourceId;
    const plans = waiting
      .map((record) => ({
        sourceId: record.sourceId,
        previous: record.nextRetryAt?.getTime() ?? null,
        nextRetryAt: new Date(
          Math.max(
            nextSlot,
            retrySlotFor(
              schedule,
              record.lastAttemptAt?.getTime() ?? now,
              deployment.settings.timeLapse,
            ),
          ),
        ),
      }))
      .filter((plan) => plan.previous !== plan.nextRetryAt.getTime());
    const moved = await deps.retries.replan(deployment.id, plans);
    await deps.notifier.tell(deployment, moved, () => Context.current().heartbeat());
  }
}
