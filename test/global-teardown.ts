export default async function globalTeardown(): Promise<void> {
  await globalThis.processflowTestServices?.stop();
  globalThis.processflowTestServices = undefined;
}
