import { condition, sleep } from '@temporalio/workflow';

/**
 * Waits until `done()` holds or `ms` pass; answers true if `done()` held first. Unlike
 * `condition(done, ms)`, it never cancels its timer: a timer left behind fires later into
 * nothing (one more, empty, workflow task). Cancelling a timer that fired while the workflow
 * task was with the worker is refused by Temporal's time-skipping test server, which then
 * leaves the workflow stranded (temporalio/sdk-java#3088); the product's long timers are
 * tested on that server, so its workflows do not send that command.
 */
export async function waitOrTimeout(done: () => boolean, ms: number): Promise<boolean> {
  if (done()) return true;
  let timedOut = false;
  void sleep(Math.max(ms, 1)).then(() => {
    timedOut = true;
  });
  await condition(() => timedOut || done());
  return done();
}
