import { asyncLocalStorage, Context } from '@temporalio/activity';

/**
 * Time as Temporal sees it: when the server scheduled this attempt plus what has elapsed since,
 * or the machine's time where that is later. On a real server the two agree but for the moment
 * the task took to reach the worker, which the machine's time does not lose (so attempts on one
 * record by different activities stay in order); under a time-skipping test server Temporal's
 * time runs ahead and wins, so workflows and activities share one clock.
 */
export function activityClock(): () => Date {
  const scheduled = Context.current().info.currentAttemptScheduledTimestampMs;
  const started = performance.now();
  return () => new Date(Math.max(Date.now(), scheduled + (performance.now() - started)));
}

/**
 * Temporal's time in milliseconds inside an activity (as activityClock), the machine's outside
 * one: for code that may run either way, such as the lifecycle notifier.
 */
export function temporalNow(): number {
  return asyncLocalStorage.getStore() ? activityClock()().getTime() : Date.now();
}
