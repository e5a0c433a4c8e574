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
import { attemptContextFor, type Run } from './attempt-context';
import { laterMark } from '../domain/high-water-mark';
import { sourceKeyOf } from '../domain/source-key';
import { loadRun } from './load-run';
import { toNews } from './lifecycle-news';

export interface ProcessPageInput {
  executionId: number;
  cursor: string | null;
  /** The run's totals before this activity: its pages tell whether an earlier try got further. */
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

    /** Ends the run; answers its totals as its committed pages made them. */
    async finishExecution(input: FinishExecutionInput): Promise<ExecutionTotals> {
      if (input.status === 'completed' && input.reachedMark) {
        await completeWithMark(deps, input, input.reachedMark);
      } else {
        await deps.executions.finish(input.executionId, input.status, input.error);
      }
      const totals = await deps.executions.totals(input.executionId);
      Context.current().log.info('execution finished', { ...input, ...totals });
      return totals;
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
  const result = await resumedResult(deps, run, input);
  if (result.pages > 0 && result.nextCursor === null) return result;

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

  let next: Promise<ReadPage> | null = settledLater(readPage(result.nextCursor));
  // Lifecycles hear of a page once it is committed, while the next page is attempted; the next
  // page commits only once they have, so a try that stops leaves at most its last committed
  // page untold (see resumedResult).
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

      const sourceIds = [...items.map((i) => i.id), ...preFailed.map((p) => p.sourceId)];
      // Marked only once the pages before it are done: a run that stops leaves Unprocessed the
      // new records of the page it was on, not those of the page it had read ahead.
      await deps.ledger.markFetched({
        deploymentId: run.deployment.id,
        nodeName: run.definition.source.name,
        sourceIds,
      });
      const reachedMark = laterMark(result.highWaterMark, page.highWaterMark ?? null);
      const pagesBefore = input.totals.pages + result.pages;
      const counts = await attemptRecords(
        deps,
        {
          ...ctx,
          onCommit: async (trx, done) => {
            await telling;
            await deps.executions.advance(trx, input.executionId, {
              fetched: done.succeeded + done.failed,
              succeeded: done.succeeded,
              failed: done.failed,
              position: { pagesBefore, nextCursor: page.nextCursor, reachedMark, sourceIds },
            });
          },
        },
        items,
        preFailed,
        transformed,
      );
      const news = toNews(counts.notices);
      telling = settledLater(deps.notifier.tell(run.deployment, news));
      const fetched = counts.succeeded + counts.failed;
      context.log.info('page processed', {
        deploymentId: run.deployment.id,
        executionId: input.executionId,
        fetched,
        succeeded: counts.succeeded,
        failed: counts.failed,
        repeated: counts.repeated,
      });
      result.nextCursor = page.nextCursor;
      result.highWaterMark = reachedMark;
      result.fetched += fetched;
      result.succeeded += counts.succeeded;
      result.failed += counts.failed;
      result.pages += 1;
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

/**
 * Where this page activity starts. An earlier try of it may have committed pages before it
 * failed (a worker killed or stopped mid-activity, a lost connection): the run's row says how
 * many, and where the source goes on after them. That try's pages count in this one's result,
 * and the lifecycles of its last page, which it may not have told, hear of them again (telling
 * twice is harmless).
 */
async function resumedResult(
  deps: ActivityDeps,
  run: Run,
  input: ProcessPageInput,
): Promise<ProcessPageResult> {
  const { execution } = run;
  const done = execution.pages - input.totals.pages;
  const result: ProcessPageResult = {
    nextCursor: input.cursor,
    highWaterMark: execution.reachedMark,
    fetched: 0,
    succeeded: 0,
    failed: 0,
    pages: 0,
  };
  if (done <= 0) return result;

  const news = await deps.retries.newsOf(run.deployment.id, execution.lastPageIds);
  await deps.notifier.tell(run.deployment, news, () => Context.current().heartbeat());
  Context.current().log.info('page activity resumed', {
    deploymentId: run.deployment.id,
    executionId: execution.id,
    pagesAlreadyCommitted: done,
  });
  return {
    ...result,
    nextCursor: execution.resumeCursor,
    fetched: execution.recordsFetched - input.totals.fetched,
    succeeded: execution.recordsSucceeded - input.totals.succeeded,
    failed: execution.recordsFailed - input.totals.failed,
    pages: done,
  };
}

/** The promise itself, with its failure handled later (where it is awaited) rather than lost. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
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
    const ended = await deps.executions.finish(input.executionId, 'completed', undefined, {
      reachedMark: reached,
      trx,
    });
    if (!ended) return;
    await deps.sourceMarks.set(trx, {
      deploymentId: run.deployment.id,
      sourceKey: sourceKeyOf(run.definition.source),
      mark: reached,
      executionId: input.executionId,
    });
  });
}
