import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';

const sdkLevels: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const requested = (process.env.TEST_LOG_LEVEL ?? 'warn').toUpperCase() as LogLevel;

// Every worker logs its state changes at INFO, which would bury test output; TEST_LOG_LEVEL
// (the same variable global setup reads) turns them back on.
Runtime.install({
  logger: new DefaultLogger(sdkLevels.includes(requested) ? requested : 'WARN'),
});
