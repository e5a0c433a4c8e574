import type { Knex } from 'knex';
import type { DestinationWriter, SourceItem, WriteItem } from '../connectors/connector';
import type { AttemptKind } from '../domain/ledger';
import type { AttemptOutcome } from '../domain/record';
import type { LedgerStore } from '../stores/ledger-store';
import type { SnapshotStore } from '../stores/snapshot-store';
import { limitSnapshot, type NodeSnapshot } from './node-snapshot';
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
  /** Aborted when the run is cancelled: the attempt stops and rolls back. */
  signal: AbortSignal;
}

/** A record that failed before it could be attempted: unreadable, no id, gone from the source. */
export interface PreFailed {
  sourceId: string;
  error: string;
  raw?: unknown;
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
  failedIds: string[];
}

interface Pending {
  sourceId: string;
  startedAt: Date;
  nodes: NodeSnapshot[];
}

/**
 * One attempt on a batch of records, all or nothing: the records are locked (so no other
 * attempt on them runs at the same time), transformed, written to the destination, and their
 * outcomes and snapshots are committed together. Transient and fatal connector errors are
 * thrown and roll everything back, leaving the records as they were.
 */
export async function attemptRecords(
  deps: AttemptDeps,
  ctx: AttemptContext,
  items: SourceItem[],
  preFailed: PreFailed[] = [],
): Promise<AttemptCounts> {
  const ids = [...items.map((i) => i.id), ...preFailed.map((p) => p.sourceId)];
  return deps.db.transaction(async (trx) => {
    const locked = await deps.ledger.lockForAttempt(trx, ctx.deploymentId, ctx.executionId, ids);
    const outcomes = [
      ...preFailed.map((p) => failedBeforeAttempt(ctx, p)),
      ...(await transformAndWrite(ctx, items)),
    ];

    ctx.signal.throwIfAborted();
    const tries = await deps.ledger.recordOutcomes(trx, { ...ctx, outcomes });
    await deps.snapshots.insert(trx, { ...ctx, outcomes, tries });

    const repeated = new Set(
      locked.filter((l) => l.attemptedInThisExecution).map((l) => l.sourceId),
    );
    const fresh = outcomes.filter((o) => !repeated.has(o.sourceId));
    const failedIds = fresh.filter((o) => o.status === 'Failed').map((o) => o.sourceId);
    return {
      succeeded: fresh.length - failedIds.length,
      failed: failedIds.length,
      repeated: repeated.size,
      failedIds,
    };
  });
}

async function transformAndWrite(
  ctx: AttemptContext,
  items: SourceItem[],
): Promise<AttemptOutcome[]> {
  const outcomes: AttemptOutcome[] = [];
  const toWrite: { pending: Pending; write: WriteItem }[] = [];

  for (const item of items) {
    ctx.signal.throwIfAborted();
    const startedAt = new Date();
    const sourceNode: NodeSnapshot = {
      node: ctx.sourceNode,
      kind: 'source',
      output: item.data,
      ms: 0,
    };
    const result = await runSteps(ctx.steps, item.id, item.data);
    const nodes = [sourceNode, ...result.nodes];
    if (result.kind === 'failed') {
      outcomes.push(
        finish(ctx, { sourceId: item.id, startedAt, nodes }, result.error, result.node),
      );
    } else if (result.kind === 'skipped') {
      outcomes.push(finish(ctx, { sourceId: item.id, startedAt, nodes }, null, null));
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

function failedBeforeAttempt(ctx: AttemptContext, record: PreFailed): AttemptOutcome {
  const startedAt = new Date();
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
  const limited = limitSnapshot(pending.nodes, ctx.maxPayloadBytes);
  return {
    sourceId: pending.sourceId,
    status: error === null ? 'Success' : 'Failed',
    error,
    errorNode,
    nodes: limited.nodes,
    payloadBytes: limited.bytes,
    truncated: limited.truncated,
    startedAt: pending.startedAt,
    finishedAt: new Date(),
  };
}
