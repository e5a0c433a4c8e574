export { processflowExecution } from './processflow-execution';
export { recordRetryLifecycle } from './record-retry-lifecycle';
export { retryCoordinator } from './retry-coordinator';
export { retryRun } from './retry-run';
export { resyncRun } from './resync-run';
export { scheduledRun } from './scheduled-run';
export { dailyReport } from './daily-report';
export { snapshotRetention } from './snapshot-retention';
