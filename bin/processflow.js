#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher, run by node as is */
// The `processflow` command: runs the TypeScript source through tsx, as the npm scripts do.
require('tsx/cjs/api').register();
require('../src/cli/main.ts');
