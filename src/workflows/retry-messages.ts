import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { AttemptKind } from '../domain/ledger';
import type { RetrySchedule } from '../domain/retry-schedule';
import type { RetryState } from '../domain/retry-plan';

/** Where a record stands after an attempt, as its retry lifecycle needs to know it. */
export interface RecordStanding {
  status: 'Success' | 'Failed' | 'Unprocessed';
  /** The ledger's tries: newer news has more (or as many) tries, so late signals are ignored. */
  tries: number;
  retryState: RetryState;
  autoRetriesUsed: number;
  /** ISO time of the next automatic retry, when one is planned. */
  nextRetryAt: string | null;
  /** What made the attempt, when this comes from one. */
  kind?: AttemptKind;
}

export const recordAttemptedSignal = defineSignal<[RecordStanding]>('recordAttempted');
export const pauseLifecycleSignal = defineSignal('pauseLifecycle');
export const lifecycleStateQuery = defineQuery<RecordStanding>('lifecycleState');

export const retrySettingsSignal = defineSignal<[RetrySchedule]>('retrySettings');
export const stopRetriesSignal = defineSignal('stopRetries');
export const coordinatorStateQuery = defineQuery<{
  nextSlotAt: string | null;
  schedule: RetrySchedule;
}>('coordinatorState');
