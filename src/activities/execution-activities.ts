import { Context } from '@temporalio/activity';
import type { ExecutionTotals } from '../domain/execution';
import type { ExecutionStatus } from '../domain/ledger';
import type { SourceItem, SourcePage } from '../connectors/connector';
import {
  type AttemptContext,
  attemptRecords,
  type PreFailed,
  transformRecords,
  type TransformedRecords,
} from '../pipeline/attempt-records';
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
  /** Incremental sources: the highest change mark on the pages. */
  highWaterMark: string | null;
  fetched: number;
  succeeded: number;
  failed: number;
  /** Source pages processed (an activity works through up to PAGES_PER_ACTIVITY). */
  pages: number;
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
     * Fetches pages from the source (a few per activity), records their records as Unprocessed,
     * attempts them and records each outcome with a snapshot. Records stay in this activity and
     * Postgres; only the cursor and counts go back to the workflow.
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

/**
 * Pages one activity works through before handing back to its workflow: fewer round trips
 * through Temporal, and room to read the next page while the current one is written.
 */
const PAGES_PER_ACTIVITY = 10;
/** No further page is started after this long, so a slow destination keeps activities short. */
const ACTIVITY_BUDGET_MS = 60_000;

/** A page read from the source and run through the steps, not yet in the ledger. */
interface ReadPage {
  page: SourcePage;
  items: SourceItem[];
  preFailed: PreFailed[];
  ctx: AttemptContext;
  transformed: TransformedRecords;
}

async function processPage(
  deps: ActivityDeps,
  input: ProcessPageInput,
): Promise<ProcessPageResult> {
  const context = Context.current();
  const started = Date.now();
  const run = await loadRun(deps, input.executionId);
  await deps.executions.updateTotals(input.executionId, input.totals);

  const flow = await deps.runtime.open(
    run.definition,
    run.execution.version,
    context.cancellationSignal,
  );
  const readPage = async (cursor: string | null): Promise<ReadPage> => {
    const page = await flow.reader.listPage(cursor, deps.pageSize, run.execution.sinceMark);
    const { items, preFailed } = pageRecords(page);
    const ctx = attemptContextFor(deps, run, flow);
    return { page, items, preFailed, ctx, transformed: await transformRecords(ctx, items) };
  };

  const result: ProcessPageResult = {
    nextCursor: input.cursor,
    highWaterMark: null,
    fetched: 0,
    succeeded: 0,
    failed: 0,
    pages: 0,
  };
  let next: Promise<ReadPage> | null = settledLater(readPage(input.cursor));
  // Lifecycles hear of a page once it is committed, while the next page is attempted; the
  // activity ends only when they all have.
  let telling: Promise<void> = Promise.resolve();
  try {
    while (next) {
      const read: ReadPage = await next;
      const { page, items, preFailed, ctx, transformed } = read;
      // The next page is read and transformed while this one is written: the worker's CPU and
      // Postgres work side by side.
      const more: boolean =
        page.nextCursor !== null &&
        result.pages + 1 < PAGES_PER_ACTIVITY &&
        Date.now() - started < ACTIVITY_BUDGET_MS;
      next = more ? settledLater(readPage(page.nextCursor)) : null;

      // Marked only once the pages before it are done: a run that stops leaves Unprocessed the
      // page it was on, not the one it had read ahead.
      await deps.ledger.markFetched({
        deploymentId: run.deployment.id,
        executionId: input.executionId,
        nodeName: run.definition.source.name,
        sourceIds: [...items.map((i) => i.id), ...preFailed.map((p) => p.sourceId)],
      });
      const counts = await attemptRecords(deps, ctx, items, preFailed, transformed);
      const news = toNews(counts.notices);
      telling = settledLater(telling.then(() => deps.notifier.tell(run.deployment, news)));
      const fetched = items.length + preFailed.length - counts.repeated;
      context.log.info('page processed', {
        deploymentId: run.deployment.id,
        executionId: input.executionId,
        fetched,
        succeeded: counts.succeeded,
        failed: counts.failed,
        repeated: counts.repeated,
      });
      result.nextCursor = page.nextCursor;
      result.highWaterMark = laterMark(result.highWaterMark, page.highWaterMark ?? null);
      result.fetched += fetched;
      result.succeeded += counts.succeeded;
      result.failed += counts.failed;
      result.pages += 1;
      if (next) await deps.executions.updateTotals(input.executionId, runningTotals(input, result));
    }
    await telling;
    return result;
  } finally {
    // A page still being read when this one failed must settle before the connectors close.
    await next?.catch(() => {});
    await telling.catch(() => {});
    await flow.close();
  }
}

/** The promise itself, with its failure handled later (where it is awaited) rather than lost. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

const runningTotals = (input: ProcessPageInput, done: ProcessPageResult): ExecutionTotals => ({
  fetched: input.totals.fetched + done.fetched,
  succeeded: input.totals.succeeded + done.succeeded,
  failed: input.totals.failed + done.failed,
  pages: input.totals.pages + done.pages,
});

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
