import { Context } from '@temporalio/activity';

const HEARTBEAT_EVERY_MS = 1_000;

/**
 * Heartbeats while `work` runs, so that a long page (a slow destination, a big batch) is not
 * mistaken for a dead worker, and so that a cancellation reaches the activity promptly.
 */
export async function keepHeartbeating<T>(details: unknown, work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  context.heartbeat(details);
  const timer = setInterval(() => context.heartbeat(details), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
