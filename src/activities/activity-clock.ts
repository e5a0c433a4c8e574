import { asyncLocalStorage, Context } from '@temporalio/activity';

/**
 * Time as Temporal sees it: when the server scheduled this attempt, plus what has elapsed since
 * the activity started. Workflows and activities then share one clock, the server's, which is
 * also what makes attempt times right under a time-skipping test server.
 */
export function activityClock(): () => Date {
  const scheduled = Context.current().info.currentAttemptScheduledTimestampMs;
  const started = performance.now();
  return () => new Date(scheduled + (performance.now() - started));
}

/**
 * Temporal's time in milliseconds inside an activity (as activityClock), the machine's outside
 * one: for code that may run either way, such as the lifecycle notifier.
 */
export function temporalNow(): number {
  return asyncLocalStorage.getStore() ? activityClock()().getTime() : Date.now();
}
