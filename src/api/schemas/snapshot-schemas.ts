import { z } from 'zod';
import { recordStatuses } from '../../domain/ledger';
import type { Snapshot } from '../../domain/snapshot';
import type { NodeSnapshot } from '../../pipeline/node-snapshot';
import { syncInfoRecordSchema } from './sync-info-schemas';
import {
  limitSchema,
  numericIdSchema,
  sourceIdTextSchema,
  timestampSchema,
  toIso,
} from './common-schemas';

export const recordSnapshotsParamsSchema = z.object({
  id: z.string().min(1).max(200).describe('deployment id: <processflow>@<environment>'),
  sourceId: sourceIdTextSchema.min(1).describe('the source id, URL-encoded'),
});

export const recordSnapshotsQuerySchema = z.strictObject({
  limit: limitSchema,
  before: numericIdSchema.optional().describe('the nextBefore of the previous page'),
});

export const executionSnapshotsQuerySchema = z.strictObject({
  limit: limitSchema,
  after: z.string().max(1000).optional().describe('the nextAfter of the previous page'),
});

const nodeSchema = z.object({
  node: z.string(),
  kind: z.enum(['source', 'map', 'filter', 'destination']),
  input: z.unknown().optional().describe("the previous node's output; absent on the source"),
  output: z.unknown().optional().describe('a filter answers whether the record passed'),
  request: z.unknown().optional().describe('what the destination was sent'),
  response: z.unknown().optional().describe('what the destination answered'),
  error: z.string().optional(),
  skipped: z.boolean().optional().describe('true when a filter stopped the record here'),
  ms: z.number(),
});

export const snapshotSchema = z
  .object({
    id: z.number().int(),
    sourceId: z.string(),
    executionId: z.number().int(),
    workflowId: z.string(),
    attemptKind: z.enum(['main', 'retry', 'resync']),
    tryNumber: z.number().int(),
    status: z.enum(recordStatuses),
    error: z.string().nullable(),
    payloadBytes: z.number().int(),
    truncated: z.boolean().describe('true when a payload was cut to the size limit'),
    startedAt: timestampSchema,
    finishedAt: timestampSchema,
    nodes: z.array(nodeSchema),
  })
  .meta({ id: 'Snapshot' });

export const recordSnapshotsSchema = z.object({
  record: syncInfoRecordSchema,
  snapshots: z.array(snapshotSchema).describe('newest first'),
  nextBefore: z.number().int().nullable().describe('pass as `before` for the next page'),
});

export function toSnapshot(snapshot: Snapshot): z.infer<typeof snapshotSchema> {
  return {
    id: snapshot.id,
    sourceId: snapshot.sourceId,
    executionId: snapshot.executionId,
    workflowId: snapshot.workflowId,
    attemptKind: snapshot.attemptKind,
    tryNumber: snapshot.tryNumber,
    status: snapshot.status,
    error: snapshot.error,
    payloadBytes: snapshot.payloadBytes,
    truncated: snapshot.truncated,
    startedAt: toIso(snapshot.startedAt),
    finishedAt: toIso(snapshot.finishedAt),
    nodes: expandInputs(snapshot.nodes as NodeSnapshot[]),
  };
}

/**
 * Snapshots store each node's output only; a node's input is the record as the previous
 * data-bearing node left it. A filter's output is its verdict, so the record passes through it.
 */
function expandInputs(nodes: NodeSnapshot[]): z.infer<typeof nodeSchema>[] {
  let record: { value: unknown } | undefined;
  return nodes.map((node) => {
    const { node: name, kind, ms, ...payloads } = node;
    const expanded = { node: name, kind, ...(record && { input: record.value }), ...payloads, ms };
    if (kind !== 'filter' && 'output' in node) record = { value: node.output };
    return expanded;
  });
}
