import type { Knex } from 'knex';
import type { DestinationWriter, SourceItem, WriteItem } from '../connectors/connector';
import type { AttemptKind } from '../domain/ledger';
import type { AttemptOutcome } from '../domain/record';
import { countAttempts, retryLag } from '../metrics/attempt-metrics';
import { planRetry, type RetryPlan } from '../domain/retry-plan';
import type { LedgerStore, LockedRecord, PlannedOutcome } from '../stores/ledger-store';
import type { SnapshotStore } from '../stores/snapshot-store';
import { limitSnapshot, type NodeSnapshot } from './node-snapshot';
import { maskSensitive, maskText, sensitiveValues } from './sensitive-fields';
import { storableText } from './storable-text';
import { type CompiledStep, runSteps } from './transform-steps';

export interface AttemptContext {
  deploymentId: string;
  executionId: number;
  kind: AttemptKind;
  sourceNode: string;
  destinationNode: string;
  steps: CompiledStep[];
  writer: DestinationWriter;
  maxPayloadBytes: number;
  /** Fields masked in snapshots (the definition's sensitiveFields). */
  sensitiveFields: readonly string[];
  /** Aborted when the run is cancelled: the attempt stops and rolls back. */
  signal: AbortSignal;
  /** The attempt's clock (Temporal's, see activity-clock.ts). */
  now: () => Date;
  /** Whether failures wait for automatic retries, and when the next slot is. */
  retry: { auto: boolean; nextRetryAt: (failedAt: Date) => Date; timeLapseMinutes: number };
  /** Written in the attempt's transaction, after the outcomes (e.g. resync item progress). */
  afterOutcomes?: (trx: Knex.Transaction, outcomes: PlannedOutcome[]) => Promise<void>;
  /** Written in the attempt's transaction, last, with what it adds to its run's counts. */
  onCommit?: (trx: Knex.Transaction, counts: AttemptCounts) => Promise<void>;
}

/** A record whose retry lifecycle must hear of the attempt, with where it now stands. */
export interface LifecycleNotice {
  sourceId: string;
  status: 'Success' | 'Failed';
  tries: number;
  retry: RetryPlan;
}

/** A record that failed before it could be attempted: unreadable, no id, gone from the source. */
export interface PreFailed {
  sourceId: string;
  error: string;
  raw?: unknown;
  /**
   * True when trying again later may succeed with nothing fixed (a record gone from the source
   * may come back). Unset: the source handed over something unreadable, which only a fix at the
   * source mends, so it gets no automatic retries: they would fetch it by its locator, fail with
   * a vaguer error and spend the budget for nothing.
   */
  retryable?: boolean;
}

export interface AttemptDeps {
  db: Knex;
  ledger: LedgerStore;
  snapshots: SnapshotStore;
}

export interface AttemptCounts {
  succeeded: number;
  failed: number;
  /** Records this execution had already attempted (replayed page, repeated id): not counted. */
  repeated: number;
  notices: LifecycleNotice[];
}

interface Pending {
  sourceId: string;
  startedAt: Date;
  nodes: NodeSnapshot[];
}

/** Records run through the steps and ready to write: the part of an attempt that needs no lock. */
export interface TransformedRecords {
  /** Records that failed or were filtered out in a step: they are finished. */
  finished: AttemptOutcome[];
  toWrite: { pending: Pending; write: WriteItem }[];
}

/**
 * One attempt on a batch of records, all or nothing: the records are locked (so no other
 * attempt on them runs at the same time), transformed, written to the destination, and their
 * outcomes and snapshots are committed together. Transient and fatal connector errors are
 * thrown and roll everything back, leaving the records as they were. A caller may transform the
 * records beforehand (`transformRecords`, e.g. while the previous batch is being written): the
 * steps depend on the record alone, not on the ledger.
 */
export async function attemptRecords(
  deps: AttemptDeps,
  ctx: AttemptContext,
  items: SourceItem[],
  preFailed: PreFailed[] = [],
  transformed?: TransformedRecords,
): Promise<AttemptCounts> {
  const ids = [...items.map((i) => i.id), ...preFailed.map((p) => p.sourceId)];
  const attemptedAt = ctx.now();
  const { counts, eligibleAt } = await deps.db.transaction(async (trx) => {
    const locked = await deps.ledger.lockForAttempt(trx, ctx.deploymentId, ctx.executionId, ids);
    const outcomes = [
      ...preFailed.map((p) => failedBeforeAttempt(ctx, p)),
      ...(await writeTransformed(ctx, transformed ?? (await transformRecords(ctx, items)))),
    ];

    ctx.signal.throwIfAborted();
    const standing = new Map(locked.map((l) => [l.sourceId, l]));
    const unreadable = new Set(preFailed.filter((p) => !p.retryable).map((p) => p.sourceId));
    const planned = outcomes.map((o) =>
      withRetryPlan(ctx, o, standing.get(o.sourceId), !unreadable.has(o.sourceId)),
    );
    const tries = await deps.ledger.recordOutcomes(trx, { ...ctx, outcomes: planned });
    await deps.snapshots.insert(trx, { ...ctx, outcomes: planned, tries });
    await ctx.afterOutcomes?.(trx, planned);

    const fresh = planned.filter((o) => !standing.get(o.sourceId)?.attemptedInThisExecution);
    const failed = fresh.filter((o) => o.status === 'Failed').length;
    const counts: AttemptCounts = {
      succeeded: fresh.length - failed,
      failed,
      repeated: planned.length - fresh.length,
      notices: planned
        .filter((o) => o.retry.notifyLifecycle)
        .map(({ sourceId, status, retry }) => ({
          sourceId,
          status,
          tries: tries.get(sourceId) ?? 0,
          retry,
        })),
    };
    await ctx.onCommit?.(trx, counts);
    const lapseMs = ctx.retry.timeLapseMinutes * 60_000;
    const eligibleAt = fresh.flatMap((o) => {
      const last = standing.get(o.sourceId)?.lastAttemptAt;
      return last ? [last.getTime() + lapseMs] : [];
    });
    return { counts, eligibleAt };
  });

  // Counted once committed: a page rolled back and done again is counted when it lands.
  countAttempts(ctx.deploymentId, ctx.kind, counts.succeeded, counts.failed);
  if (ctx.kind === 'retry') {
    for (const at of eligibleAt) {
      retryLag.observe(
        { deployment: ctx.deploymentId },
        Math.max(0, attemptedAt.getTime() - at) / 1000,
      );
    }
  }
  return counts;
}

/** Runs records through the steps; records that a step fails or filters out are finished. */
export async function transformRecords(
  ctx: AttemptContext,
  items: SourceItem[],
): Promise<TransformedRecords> {
  const finished: AttemptOutcome[] = [];
  const toWrite: TransformedRecords['toWrite'] = [];

  for (const item of items) {
    ctx.signal.throwIfAborted();
    const startedAt = ctx.now();
    const sourceNode: NodeSnapshot = {
      node: ctx.sourceNode,
      kind: 'source',
      output: item.data,
      ms: 0,
    };
    const result = await runSteps(ctx.steps, item.id, item.data);
    const nodes = [sourceNode, ...result.nodes];
    if (result.kind === 'failed') {
      finished.push(
        finish(ctx, { sourceId: item.id, startedAt, nodes }, result.error, result.node),
      );
    } else if (result.kind === 'skipped') {
      finished.push(finish(ctx, { sourceId: item.id, startedAt, nodes }, null, null));
    } else {
      const write = {
        deploymentId: ctx.deploymentId,
        sourceId: item.id,
        attemptKey: `${ctx.deploymentId}/${item.id}/${ctx.executionId}`,
        data: result.data,
      };
      toWrite.push({ pending: { sourceId: item.id, startedAt, nodes }, write });
    }
  }
  return { finished, toWrite };
}

/** Writes transformed records to the destination as one batch: each gets its outcome. */
async function writeTransformed(
  ctx: AttemptContext,
  { finished, toWrite }: TransformedRecords,
): Promise<AttemptOutcome[]> {
  const outcomes = [...finished];
  if (toWrite.length === 0) return outcomes;
  ctx.signal.throwIfAborted();

  const started = performance.now();
  const written = await ctx.writer.writeBatch(toWrite.map((w) => w.write));
  const ms = Math.round(((performance.now() - started) / toWrite.length) * 1000) / 1000;
  toWrite.forEach(({ pending }, i) => {
    const outcome = written[i];
    const error = outcome.ok ? null : outcome.error;
    pending.nodes.push({
      node: ctx.destinationNode,
      kind: 'destination',
      request: outcome.request,
      response: outcome.response,
      ...(error ? { error } : {}),
      ms,
    });
    outcomes.push(finish(ctx, pending, error, error ? ctx.destinationNode : null));
  });
  return outcomes;
}

function withRetryPlan(
  ctx: AttemptContext,
  outcome: AttemptOutcome,
  before: LockedRecord | undefined,
  retryable: boolean,
): PlannedOutcome {
  const retry = planRetry(
    before ?? { retryState: null, autoRetriesUsed: 0 },
    { status: outcome.status, kind: ctx.kind, repeat: before?.attemptedInThisExecution ?? false },
    { auto: ctx.retry.auto && retryable, nextRetryAt: ctx.retry.nextRetryAt(outcome.finishedAt) },
  );
  return { ...outcome, retry };
}

function failedBeforeAttempt(ctx: AttemptContext, record: PreFailed): AttemptOutcome {
  const startedAt = ctx.now();
  const nodes: NodeSnapshot[] = [
    { node: ctx.sourceNode, kind: 'source', output: record.raw, error: record.error, ms: 0 },
  ];
  return finish(ctx, { sourceId: record.sourceId, startedAt, nodes }, record.error, ctx.sourceNode);
}

function finish(
  ctx: AttemptContext,
  pending: Pending,
  error: string | null,
  errorNode: string | null,
): AttemptOutcome {
  const values = sensitiveValues(pending.nodes, ctx.sensitiveFields);
  const masked = maskSensitive(pending.nodes, ctx.sensitiveFields, values);
  const limited = limitSnapshot(masked, ctx.maxPayloadBytes);
  return {
    sourceId: pending.sourceId,
    status: error === null ? 'Success' : 'Failed',
    error: error === null ? null : storableText(maskText(error, values)),
    errorNode,
    nodes: limited.nodes,
    payloadBytes: limited.bytes,
    truncated: limited.truncated,
    startedAt: pending.startedAt,
    finishedAt: ctx.now(),
  };
}
