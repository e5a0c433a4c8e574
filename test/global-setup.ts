import { startTestServices, type TestServices } from './test-services';

declare global {
  // Read by test/global-teardown.ts, which runs in the same process.
  var processflowTestServices: TestServices | undefined;
}

export default async function globalSetup(): Promise<void> {
  globalThis.processflowTestServices = await startTestServices();
}
