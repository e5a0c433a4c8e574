// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest reads CommonJS configs
const base = require('./jest.config');

/**
 * `npm run test:faults`: the fault suite and the schema-driven fuzzer. Cases break things on
 * purpose (kill workers, restart Postgres and Temporal), so they run one at a time; the figures
 * each case checked are printed at the end.
 *
 * @type {import('jest').Config}
 */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.fault.ts'],
  globalTeardown: '<rootDir>/test/faults/faults-teardown.ts',
  maxWorkers: 1,
  testTimeout: 600_000,
};
