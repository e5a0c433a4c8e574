/**
 * One Postgres and one Temporal dev server serve the whole run (test/global-setup.ts); each test
 * file clones its own database and runs its own workers. The environment fails any file that
 * leaves a database pool or test server open.
 *
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: '<rootDir>/test/leak-checking-environment.ts',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  setupFiles: ['<rootDir>/test/setup-temporal-runtime.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Real servers: starting a time-skipping server, bundling workflows and waiting on workers
  // take seconds on a busy machine.
  testTimeout: 120_000,
};
