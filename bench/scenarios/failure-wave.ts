import { temporal } from '@temporalio/proto';
import { taskQueueFor } from '../../src/domain/environment';
import { type BenchStack, ENVIRONMENT } from '../bench-stack';
import { writeCitiesFile } from '../cities';
import {
  createCitiesTable,
  deployCitiesFlow,
  executionSeconds,
  type ExecutionView,
  redeploy,
  runToEnd,
  waitForExecution,
} from '../flows';
import { waitUntil } from '../node-process';
import { countActions, eventCounts, historiesOf } from '../temporal-history';
import { executionWorkflowId } from './main-run';

export interface FailureWaveResult {
  records: number;
  mainRunSeconds: number;
  /** From the main run's start until every lifecycle runs and waits on its timer. */
  absorbedSeconds: number;
  lifecyclesPerSecond: number;
  actionsPerRecord: number;
  lifecycleEvents: Record<string, number>;
  /** Lines the Temporal dev server logged at level error during the wave. */
  serverErrors: number;
  deadlineExceeded: number;
  slot?: { records: number; seconds: number; secondsPerRecord: number };
}

const LIFECYCLE_SAMPLE = 20;
const BATCH_SIZE = 1_000;
/** No city has this many inhabitants: the destination refuses every record. */
const IMPOSSIBLE_POPULATION = 100_000_000;

/**
 * A main run of an auto-mode deployment in which every record fails (the destination's check
 * constraint refuses it), so every record gets a retry lifecycle; then one retry slot with
 * batchSize 1 000.
 */
export async function failureWave(
  stack: BenchStack,
  count: number,
  options: { slot: boolean },
): Promise<FailureWaveResult> {
  const file = await writeCitiesFile(stack.filesDir, count);
  const table = `wave_${count}`;
  await createCitiesTable(stack, table, IMPOSSIBLE_POPULATION);
  const farSlot = utcClock(Date.now() - 3_600_000);
  const deploymentId = await deployCitiesFlow(stack, {
    name: `wave-${count}`,
    file,
    table,
    settings: {
      mode: 'auto',
      frequency: 'daily',
      retryDailyAt: farSlot,
      interval: 23,
      timeLapse: 0,
      batchSize: BATCH_SIZE,
      timezone: 'UTC',
    },
  });
  const errorsBefore = await stack.temporalErrors();

  const execution = await runToEnd(stack, deploymentId, 60 * 60_000);
  if (execution.recordsFailed !== count) {
    throw new Error(`expected ${count} failed records, the run has ${execution.recordsFailed}`);
  }
  await waitForLifecycles(stack, deploymentId, count);
  const absorbedSeconds = (Date.now() - Date.parse(execution.startedAt)) / 1000;
  const errors = (await stack.temporalErrors()).slice(errorsBefore.length);

  const actions = await waveActions(stack, deploymentId, count);
  const result: FailureWaveResult = {
    records: count,
    mainRunSeconds: executionSeconds(execution),
    absorbedSeconds,
    lifecyclesPerSecond: count / absorbedSeconds,
    ...actions,
    serverErrors: errors.length,
    deadlineExceeded: errors.filter((l) => /context deadline exceeded/i.test(l)).length,
  };
  if (options.slot) result.slot = await oneSlot(stack, deploymentId);
  return result;
}

/** Every lifecycle is running and no workflow task waits in the queue: all wait on timers. */
async function waitForLifecycles(stack: BenchStack, deploymentId: string, count: number) {
  const query =
    `WorkflowType = "recordRetryLifecycle" AND Deployment = "${deploymentId}" ` +
    'AND ExecutionStatus = "Running"';
  let quietPolls = 0;
  await waitUntil(
    `${count} waiting lifecycles`,
    async () => {
      const running = (await stack.temporal.workflow.count(query)).count;
      const backlog = running === count ? await workflowBacklog(stack) : Infinity;
      quietPolls = backlog === 0 ? quietPolls + 1 : 0;
      return quietPolls >= 2 ? true : undefined;
    },
    30 * 60_000,
    250,
  );
}

async function workflowBacklog(stack: BenchStack): Promise<number> {
  const answer = await stack.temporal.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueueFor(ENVIRONMENT) },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    reportStats: true,
  });
  return Number(answer.stats?.approximateBacklogCount ?? 0);
}

/** Actions of the main run plus those of a sample of lifecycles scaled to all, per record. */
async function waveActions(stack: BenchStack, deploymentId: string, count: number) {
  const main = await historiesOf(stack.temporal, executionWorkflowId(deploymentId, 1));
  const mainActions = main.reduce((sum, events) => sum + countActions(events), 0);
  const ids: string[] = [];
  const query = `WorkflowType = "recordRetryLifecycle" AND Deployment = "${deploymentId}"`;
  for await (const workflow of stack.temporal.workflow.list({
    query,
    pageSize: LIFECYCLE_SAMPLE,
  })) {
    ids.push(workflow.workflowId);
    if (ids.length === LIFECYCLE_SAMPLE) break;
  }
  let lifecycleActions = 0;
  let lifecycleEvents: Record<string, number> = {};
  for (const id of ids) {
    const [events] = await historiesOf(stack.temporal, id);
    lifecycleActions += countActions(events);
    lifecycleEvents = eventCounts(events);
  }
  const perLifecycle = lifecycleActions / ids.length;
  return { actionsPerRecord: (mainActions + perLifecycle * count) / count, lifecycleEvents };
}

/** Moves the daily slot to the next minute but one and times the retry run it starts. */
async function oneSlot(stack: BenchStack, deploymentId: string) {
  const slotAt = Math.ceil((Date.now() + 60_000) / 60_000) * 60_000;
  await redeploy(stack, deploymentId, { retryDailyAt: utcClock(slotAt) });
  const retry = await waitUntil(
    'the retry run of the slot',
    async () => {
      const row = await stack
        .db('executions')
        .where({ deployment_id: deploymentId, kind: 'retry' })
        .first();
      return row ? Number(row.id) : undefined;
    },
    5 * 60_000,
    250,
  );
  const execution: ExecutionView = await waitForExecution(stack, retry, 30 * 60_000);
  const seconds = executionSeconds(execution);
  return {
    records: execution.recordsFetched,
    seconds,
    secondsPerRecord: seconds / execution.recordsFetched,
  };
}

function utcClock(at: number): string {
  return new Date(at).toISOString().slice(11, 16);
}
