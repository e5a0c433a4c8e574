import { Context } from '@temporalio/activity';
import type { Deployment } from '../domain/deployment';
import type { Execution } from '../domain/execution';
import type { ProcessflowDefinition } from '../domain/processflow-definition';
import { retrySlotFor } from '../domain/retry-schedule';
import type { AttemptContext } from '../pipeline/attempt-records';
import type { OpenFlow } from '../pipeline/flow-runtime';
import { retryScheduleOf } from '../temporal/retry-control';
import type { ActivityDeps } from './activity-deps';
import { activityClock } from './activity-clock';

export interface Run {
  execution: Execution;
  deployment: Deployment;
  definition: ProcessflowDefinition;
}

/**
 * Everything an attempt needs to know about the run it belongs to. Unless told otherwise, each
 * committed batch adds its counts to the run's totals in the same transaction.
 */
export function attemptContextFor(
  deps: ActivityDeps,
  run: Run,
  flow: OpenFlow,
  extra: Pick<AttemptContext, 'afterOutcomes' | 'onCommit'> = {},
): AttemptContext {
  const { deployment } = run;
  const schedule = retryScheduleOf(deployment);
  return {
    deploymentId: deployment.id,
    executionId: run.execution.id,
    kind: run.execution.kind,
    sourceNode: run.definition.source.name,
    destinationNode: run.definition.destination.name,
    steps: flow.steps,
    writer: flow.writer,
    maxPayloadBytes: deps.snapshotMaxPayloadBytes,
    sensitiveFields: run.definition.sensitiveFields ?? [],
    signal: Context.current().cancellationSignal,
    now: activityClock(),
    retry: {
      auto: deployment.status === 'deployed' && deployment.settings.mode === 'auto',
      nextRetryAt: (failedAt) =>
        new Date(retrySlotFor(schedule, failedAt.getTime(), deployment.settings.timeLapse)),
      timeLapseMinutes: deployment.settings.timeLapse,
    },
    onCommit: (trx, counts) =>
      deps.executions.advance(trx, run.execution.id, {
        fetched: counts.succeeded + counts.failed,
        succeeded: counts.succeeded,
        failed: counts.failed,
      }),
    ...extra,
  };
}
