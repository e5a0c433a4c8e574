import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from './logger';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Sends the Temporal SDK's logs (worker, workflow and activity loggers) through our JSON logger,
 * so every line is one structured event, and, given an address, has the SDK export its worker
 * metrics (task slots, poll and schedule latencies, sticky cache) in Prometheus format there.
 * Installs once per process.
 */
export function installWorkerRuntime(log: Logger, sdkMetricsAddress?: string): void {
  const logger = new DefaultLogger('INFO', ({ level, message, meta }) => {
    // A task token lets whoever holds it complete the activity: it stays out of the logs.
    const fields: Record<string, unknown> = { ...meta };
    delete fields.taskToken;
    log[levels[level]](fields, message);
  });
  const metrics = sdkMetricsAddress
    ? { prometheus: { bindAddress: sdkMetricsAddress, countersTotalSuffix: true } }
    : undefined;
  try {
    Runtime.install({ logger, ...(metrics && { telemetryOptions: { metrics } }) });
  } catch {
    // Already installed in this process (tests, the demo): the first logger stays.
  }
}
