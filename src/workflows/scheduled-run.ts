import {
  ChildWorkflowFailure,
  executeChild,
  log,
  ParentClosePolicy,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { processflowExecution } from './processflow-execution';
import { deploymentKey, environmentKey, processflowKey, runKindKey } from './search-attributes';

const { openScheduledRun } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});

/**
 * One action of a deployment's run schedule. It opens the execution row (once, however often
 * the activity is retried) and runs it as a child named like every execution,
 * execution/<deployment>/<n>, with the same ledger semantics as a run started by hand. It lasts
 * as long as the run, which is how the schedule knows to skip the next one meanwhile.
 */
export async function scheduledRun(input: { deploymentId: string }): Promise<void> {
  const run = await openScheduledRun({
    deploymentId: input.deploymentId,
    actionId: workflowInfo().workflowId,
  });
  if (!run) return;

  try {
    await executeChild(processflowExecution, {
      workflowId: run.workflowId,
      args: [
        {
          executionId: run.executionId,
          deploymentId: input.deploymentId,
          cursor: null,
          totals: { fetched: 0, succeeded: 0, failed: 0, pages: 0 },
        },
      ],
      // Cancelling or terminating the scheduled run cancels its execution.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      typedSearchAttributes: [
        { key: processflowKey, value: run.processflowName },
        { key: deploymentKey, value: input.deploymentId },
        { key: environmentKey, value: run.environmentName },
        { key: runKindKey, value: 'main' },
      ],
      staticSummary: `scheduled main run ${run.seq} of ${input.deploymentId}`,
    });
  } catch (error) {
    // The execution row already says how the run ended; the schedule goes on either way.
    if (!(error instanceof ChildWorkflowFailure)) throw error;
    log.warn('scheduled run ended without completing', {
      deploymentId: input.deploymentId,
      workflowId: run.workflowId,
    });
  }
}
