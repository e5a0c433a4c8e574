import { TestEnvironment } from 'jest-environment-node';
import { OPEN_RESOURCES_KEY } from './helpers/open-resources';

type RunFinishEvent = { name: string };
type CircusState = { unhandledErrors: unknown[] };

/**
 * The node environment, plus a check after every test file: whatever the helpers opened and the
 * file did not close fails the file. An afterAll in a setup file would run before the file's own
 * afterAll hooks, so the check sits on the runner's run_finish event instead.
 */
export default class LeakCheckingEnvironment extends TestEnvironment {
  async handleTestEvent(event: RunFinishEvent, state: CircusState): Promise<void> {
    if (event.name !== 'run_finish') {
      return;
    }

    const holder = this.global as unknown as Record<string, Map<number, string> | undefined>;
    const open = holder[OPEN_RESOURCES_KEY];
    for (const description of open?.values() ?? []) {
      const error = new Error(
        `${description} is still open after the last test. Close it in afterAll.`,
      );
      // Without a stack, jest shows the message alone rather than a frame of this file.
      error.stack = error.message;
      state.unhandledErrors.push(error);
    }
  }
}
