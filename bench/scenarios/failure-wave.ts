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
import {
  deploymentKey,
  environmentKey,
  nextRetryAtKey,
  processflowKey,
  retryStateKey,
  sourceIdKey,
} from '../../src/workflows/search-attributes';
import { scrapeMetrics } from '../worker-metrics';
import { executionWorkflowId, timedCalls } from './main-run';

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
  /** The server's own limit: workflows started per second, as lifecycles are, by a bare client. */
  serverStartsPerSecond: number;
  slot?: {
    records: number;
    seconds: number;
    secondsPerRecord: number;
    /** Seconds per timed call of the agent during the slot (store methods, connectors, notices). */
    calls: Record<string, number>;
  };
}

const LIFECYCLE_SAMPLE = 20;
const REFERENCE_STARTS = 2_000;
/** As many as the lifecycle notifier keeps in flight. */
const STARTS_CONCURRENCY = 16;
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
  const serverStartsPerSecond = await serverStartRate(stack, deploymentId);
  const result: FailureWaveResult = {
    records: count,
    mainRunSeconds: executionSeconds(execution),
    absorbedSeconds,
    lifecyclesPerSecond: count / absorbedSeconds,
    ...actions,
    serverErrors: errors.length,
    deadlineExceeded: errors.filter((l) => /context deadline exceeded/i.test(l)).length,
    serverStartsPerSecond,
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

/**
 * The same server's limit for what a wave asks of it: delayed starts of lifecycle workflows
 * with the same search attributes, STARTS_CONCURRENCY at a time, from a client that does
 * nothing else, on a task queue no agent polls (they never run).
 */
async function serverStartRate(stack: BenchStack, deploymentId: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    for (let i = next++; i < REFERENCE_STARTS; i = next++) {
      await stack.temporal.workflow.start('recordRetryLifecycle', {
        workflowId: `bench-start-rate/${deploymentId}/${i}`,
        taskQueue: 'bench-start-rate',
        args: [],
        startDelay: '1 day',
        typedSearchAttributes: [
          { key: processflowKey, value: deploymentId.split('@')[0] },
          { key: deploymentKey, value: `start-rate/${deploymentId}` },
          { key: environmentKey, value: ENVIRONMENT },
          { key: sourceIdKey, value: String(i) },
          { key: retryStateKey, value: 'waiting' },
          { key: nextRetryAtKey, value: new Date(Date.now() + 86_400_000) },
        ],
      });
    }
  };
  await Promise.all(Array.from({ length: STARTS_CONCURRENCY }, lane));
  return REFERENCE_STARTS / ((performance.now() - started) / 1000);
}

/** Moves the daily slot to the next minute but one and times the retry run it starts. */
async function oneSlot(stack: BenchStack, deploymentId: string) {
  const slotAt = Math.ceil((Date.now() + 60_000) / 60_000) * 60_000;
  await redeploy(stack, deploymentId, { retryDailyAt: utcClock(slotAt) });
  const before = await scrapeMetrics(stack.workerMetricsUrl);
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
  const calls = timedCalls(before, await scrapeMetrics(stack.workerMetricsUrl));
  const seconds = executionSeconds(execution);
  return {
    records: execution.recordsFetched,
    seconds,
    secondsPerRecord: seconds / execution.recordsFetched,
    calls,
  };
}

function utcClock(at: number): string {
  return new Date(at).toISOString().slice(11, 16);
}
