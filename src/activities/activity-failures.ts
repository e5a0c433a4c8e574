import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { FatalConnectorError, TransientConnectorError } from '../connectors/connector-errors';

/** Failure types a workflow must not retry: the run stops. */
export const FATAL_FAILURE_TYPE = 'FatalConnectorError';

/**
 * Translates connector errors for Temporal: fatal ones become non-retryable failures, transient
 * ones keep the wait the other side asked for (Retry-After) as the next retry delay.
 */
export function toActivityFailure(error: unknown): unknown {
  const { cancellationSignal } = Context.current();
  if (cancellationSignal.aborted && isWorkerShutdown(cancellationSignal.reason)) {
    // The agent is stopping, not the run: the attempt rolled back, and Temporal retries it on
    // another agent. Reported as cancelled, the server would refuse it, since nobody asked.
    return ApplicationFailure.create({
      type: 'WorkerShutdown',
      message: 'the agent stopped while the activity ran; it will be retried',
      cause: error as Error,
    });
  }
  if (cancellationSignal.aborted) {
    return new CancelledFailure(
      'processing stopped: the activity was cancelled',
      [],
      error as Error,
    );
  }
  if (error instanceof FatalConnectorError) {
    return ApplicationFailure.create({
      type: FATAL_FAILURE_TYPE,
      message: error.message,
      nonRetryable: true,
      cause: error,
    });
  }
  if (error instanceof TransientConnectorError && error.retryAfterMs !== undefined) {
    return ApplicationFailure.create({
      type: error.name,
      message: error.message,
      nextRetryDelay: withJitter(error.retryAfterMs),
      cause: error,
    });
  }
  return error;
}

function isWorkerShutdown(reason: unknown): boolean {
  return (reason as Error | undefined)?.message === 'WORKER_SHUTDOWN';
}

/**
 * Retry-After is the earliest time to come back; up to a tenth more spreads the workers that
 * were all told the same time, so they do not return as one burst.
 */
function withJitter(retryAfterMs: number): number {
  return Math.round(retryAfterMs * (1 + Math.random() * 0.1));
}
