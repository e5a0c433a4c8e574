import { Context } from '@temporalio/activity';
import type { ExecutionTotals } from '../domain/execution';
import type { ExecutionStatus } from '../domain/ledger';
import { attemptRecords } from '../pipeline/attempt-records';
import { pageRecords } from '../pipeline/page-records';
import type { ActivityDeps } from './activity-deps';
import { toActivityFailure } from './activity-failures';
import { keepHeartbeating } from './keep-heartbeating';
import { attemptContextFor } from './attempt-context';
import { laterMark } from '../domain/high-water-mark';
import { sourceKeyOf } from '../domain/source-key';
import { loadRun } from './load-run';
import { toNews } from './lifecycle-news';

export interface ProcessPageInput {
  executionId: number;
  cursor: string | null;
  /** The run's totals before this page, written to the execution row for progress. */
  totals: ExecutionTotals;
}

export interface ProcessPageResult {
  nextCursor: string | null;
  /** Incremental sources: the highest change mark on the page. */
  highWaterMark: string | null;
  fetched: number;
  succeeded: number;
  failed: number;
}

export interface FinishExecutionInput {
  executionId: number;
  status: Exclude<ExecutionStatus, 'running'>;
  totals: ExecutionTotals;
  error?: string;
  /** A completed main run's highest change mark: it becomes the source's high-water mark. */
  reachedMark?: string | null;
}

export function createExecutionActivities(deps: ActivityDeps) {
  return {
    /**
     * Fetches one page from the source, records its records as Unprocessed, attempts them and
     * records each outcome with a snapshot. Records stay in this activity and Postgres; only the
     * cursor and counts go back to the workflow.
     */
    async processPage(input: ProcessPageInput): Promise<ProcessPageResult> {
      try {
        return await keepHeartbeating({ cursor: input.cursor }, () => processPage(deps, input));
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    async finishExecution(input: FinishExecutionInput): Promise<void> {
      if (input.status === 'completed' && input.reachedMark) {
        await completeWithMark(deps, input, input.reachedMark);
      } else {
        await deps.executions.finish(input.executionId, input.status, input.totals, input.error);
      }
      Context.current().log.info('execution finished', { ...input });
    },
  };
}

async function processPage(
  deps: ActivityDeps,
  input: ProcessPageInput,
): Promise<ProcessPageResult> {
  const context = Context.current();
  const run = await loadRun(deps, input.executionId);
  await deps.executions.updateTotals(input.executionId, input.totals);

  const flow = await deps.runtime.open(
    run.definition,
    run.execution.version,
    context.cancellationSignal,
  );
  try {
    const page = await flow.reader.listPage(input.cursor, deps.pageSize, run.execution.sinceMark);
    const { items, preFailed } = pageRecords(page);
    const fetched = items.length + preFailed.length;

    await deps.ledger.markFetched({
      deploymentId: run.deployment.id,
      executionId: input.executionId,
      nodeName: run.definition.source.name,
      sourceIds: [...items.map((i) => i.id), ...preFailed.map((p) => p.sourceId)],
    });
    const counts = await attemptRecords(deps, attemptContextFor(deps, run, flow), items, preFailed);
    await deps.notifier.tell(run.deployment, toNews(counts.notices));

    context.log.info('page processed', {
      deploymentId: run.deployment.id,
      executionId: input.executionId,
      fetched,
      succeeded: counts.succeeded,
      failed: counts.failed,
      repeated: counts.repeated,
    });
    return {
      nextCursor: page.nextCursor,
      highWaterMark: page.highWaterMark ?? null,
      fetched: fetched - counts.repeated,
      succeeded: counts.succeeded,
      failed: counts.failed,
    };
  } finally {
    await flow.close();
  }
}

/**
 * Completes a main run and moves its source's high-water mark in one transaction, so a mark
 * never moves for a run that did not complete. The mark never moves back: the run's own
 * starting mark is the least it keeps.
 */
async function completeWithMark(deps: ActivityDeps, input: FinishExecutionInput, mark: string) {
  const run = await loadRun(deps, input.executionId);
  const reached = laterMark(run.execution.sinceMark, mark)!;
  await deps.db.transaction(async (trx) => {
    const ended = await deps.executions.finish(
      input.executionId,
      'completed',
      input.totals,
      undefined,
      { reachedMark: reached, trx },
    );
    if (!ended) return;
    await deps.sourceMarks.set(trx, {
      deploymentId: run.deployment.id,
      sourceKey: sourceKeyOf(run.definition.source),
      mark: reached,
      executionId: input.executionId,
    });
  });
}
