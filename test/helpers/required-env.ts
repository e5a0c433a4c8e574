/** A variable that test/global-setup.ts exports to the test workers. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; run the tests through jest so test/global-setup.ts runs.`);
  }
  return value;
}
