import type { LifecycleNotice } from '../pipeline/attempt-records';
import type { LifecycleNews } from '../temporal/lifecycle-notifier';

/** What a lifecycle hears of an attempt: the record's standing right after it. */
export function toNews(notices: LifecycleNotice[]): LifecycleNews[] {
  return notices.map(({ sourceId, status, tries, retry }) => ({
    sourceId,
    standing: {
      status,
      tries,
      retryState: retry.retryState,
      autoRetriesUsed: retry.autoRetriesUsed,
      nextRetryAt: retry.nextRetryAt?.toISOString() ?? null,
    },
  }));
}
