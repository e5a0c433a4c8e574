import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';

const sdkLevels: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const requested = (process.env.TEST_LOG_LEVEL ?? 'warn').toUpperCase() as LogLevel;

/** A free loopback port, found synchronously: the runtime must be installed before any test. */
function freePort(): number {
  const script =
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{" +
    'process.stdout.write(String(s.address().port));s.close()})';
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const sdkMetricsAddress = `127.0.0.1:${freePort()}`;
process.env.TEST_SDK_METRICS_URL = `http://${sdkMetricsAddress}/metrics`;

// Every worker logs its state changes at INFO, which would bury test output; TEST_LOG_LEVEL
// (the same variable global setup reads) turns them back on. The SDK's worker metrics are
// exported as in production, for the metrics tests to read.
Runtime.install({
  logger: new DefaultLogger(sdkLevels.includes(requested) ? requested : 'WARN'),
  telemetryOptions: {
    metrics: { prometheus: { bindAddress: sdkMetricsAddress, countersTotalSuffix: true } },
  },
});
