import { type AttemptKind, MAX_AUTO_RETRIES } from './ledger';

/**
 * Where a record stands in automatic retry:
 * - null: no lifecycle (never failed, succeeded, or failed in manual mode);
 * - waiting: its lifecycle waits for a slot;
 * - claimed: a retry run took it for the current slot;
 * - exhausted: four automatic retries failed, it waits for a person;
 * - paused: the deployment left auto mode while it waited.
 */
export type RetryState = 'waiting' | 'claimed' | 'exhausted' | 'paused' | null;

export interface RetryStanding {
  retryState: RetryState;
  autoRetriesUsed: number;
}

export interface RetryPlan extends RetryStanding {
  nextRetryAt: Date | null;
  /** Whether the record's lifecycle must hear of this attempt (start one, update it, end it). */
  notifyLifecycle: boolean;
}

const live = (state: RetryState) => state === 'waiting' || state === 'claimed';

/**
 * The retry bookkeeping after one attempt. A record that fails in an auto-mode deployment gets a
 * lifecycle with a budget of four automatic retries; an automatic retry spends one; a manual
 * resync spends none, and where no lifecycle is live (never started, exhausted, paused) a failed
 * resync starts a fresh one. Success ends the lifecycle. `repeat` marks an attempt its execution
 * already made (a replayed page), which must not spend the budget twice.
 */
export function planRetry(
  before: RetryStanding,
  attempt: { status: 'Success' | 'Failed'; kind: AttemptKind; repeat: boolean },
  policy: { auto: boolean; nextRetryAt: Date },
): RetryPlan {
  if (attempt.status === 'Success') {
    return {
      retryState: null,
      autoRetriesUsed: 0,
      nextRetryAt: null,
      notifyLifecycle: live(before.retryState),
    };
  }

  const spent = attempt.kind === 'retry' && !attempt.repeat ? 1 : 0;
  const used = before.autoRetriesUsed + spent;
  if (!policy.auto) {
    const retryState = live(before.retryState) ? 'paused' : before.retryState;
    return {
      retryState,
      autoRetriesUsed: used,
      nextRetryAt: null,
      notifyLifecycle: live(before.retryState),
    };
  }

  const waiting = (autoRetriesUsed: number): RetryPlan => ({
    retryState: 'waiting',
    autoRetriesUsed,
    nextRetryAt: policy.nextRetryAt,
    notifyLifecycle: true,
  });
  switch (attempt.kind) {
    case 'retry':
      return used >= MAX_AUTO_RETRIES
        ? {
            retryState: 'exhausted',
            autoRetriesUsed: used,
            nextRetryAt: null,
            notifyLifecycle: true,
          }
        : waiting(used);
    case 'resync':
      return live(before.retryState)
        ? { ...waiting(used), retryState: before.retryState }
        : waiting(0);
    case 'main':
      if (before.retryState === 'exhausted') {
        return { ...before, nextRetryAt: null, notifyLifecycle: false };
      }
      return before.retryState === null
        ? waiting(0)
        : {
            ...waiting(used),
            retryState: before.retryState === 'paused' ? 'waiting' : before.retryState,
          };
  }
}
