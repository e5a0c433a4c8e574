import { z } from 'zod';
import {
  type ResyncProgress,
  type ResyncSelection,
  resyncSelectionSchema,
} from '../../domain/resync';
import type { ResyncItem } from '../../stores/resync-store';
import {
  limitSchema,
  sourceIdTextSchema,
  timestampSchema,
  toIso,
  toIsoOrNull,
} from './common-schemas';

const [byIds, byFilter] = resyncSelectionSchema.options;

/** The two selections as one object, so that a mistake is named by its field. */
const selectionFields = {
  sourceIds: byIds.shape.sourceIds.optional(),
  filter: byFilter.shape.filter
    .optional()
    .describe('every Failed or Unprocessed record matching it, at the time of the request'),
  excludeSourceIds: byFilter.shape.excludeSourceIds.describe('with filter only'),
};

function exactlyOneSelection(
  body: { sourceIds?: unknown; filter?: unknown; excludeSourceIds?: unknown },
  ctx: z.RefinementCtx,
) {
  if ((body.sourceIds === undefined) === (body.filter === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['sourceIds'],
      message: 'give either sourceIds or filter',
    });
  }
  if (body.sourceIds !== undefined && body.excludeSourceIds !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['excludeSourceIds'],
      message: 'applies only with filter',
    });
  }
}

/** What a resync request adds to its selection; a preview takes and ignores them. */
const requestFields = {
  requestId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('idempotency key: the same key again answers the resync it started'),
  requestedBy: z.string().min(1).max(200).optional().describe('who asked, for the record'),
};

export const resyncPreviewBodySchema = z
  .strictObject({ ...selectionFields, ...requestFields })
  .superRefine(exactlyOneSelection)
  .meta({
    id: 'ResyncSelection',
    description: "a resync's body; requestId and requestedBy are accepted and ignored",
  });

export const resyncBodySchema = z
  .strictObject({ ...selectionFields, ...requestFields })
  .superRefine(exactlyOneSelection)
  .meta({ id: 'ResyncRequest' });

export const resyncParamsSchema = z.object({ id: z.uuid().describe('resync id') });

export const resyncItemsQuerySchema = z.strictObject({
  status: z.enum(['pending', 'Success', 'Failed']).optional(),
  limit: limitSchema,
  after: sourceIdTextSchema.optional().describe('the nextAfter of the previous page'),
});

export const resyncPreviewSchema = z.object({
  matched: z.number().int().describe('Failed and Unprocessed records the selection takes'),
  notTaken: z
    .array(z.string())
    .describe('of the sourceIds given, up to 100 it would not take: unknown, or Success'),
});

export const resyncSchema = z
  .object({
    id: z.string(),
    deploymentId: z.string(),
    requestId: z.string().nullable(),
    requestedBy: z.string().nullable(),
    selection: z.unknown().describe('the selection as requested'),
    executionId: z.number().int().nullable(),
    workflowId: z.string().nullable(),
    status: z.enum(['running', 'completed', 'failed', 'cancelled']),
    total: z.number().int().describe('records taken when the request was made'),
    pending: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    createdAt: timestampSchema,
    finishedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'Resync' });

export const resyncItemsSchema = z.object({
  items: z.array(
    z.object({
      sourceId: z.string(),
      status: z.enum(['pending', 'Success', 'Failed']),
      error: z.string().nullable(),
      finishedAt: timestampSchema.nullable(),
    }),
  ),
  nextAfter: z.string().nullable().describe('pass as `after` for the next page'),
});

export function toSelection(body: z.output<typeof resyncPreviewBodySchema>): ResyncSelection {
  if (body.sourceIds) return { sourceIds: body.sourceIds };
  return {
    filter: body.filter ?? {},
    ...(body.excludeSourceIds && { excludeSourceIds: body.excludeSourceIds }),
  };
}

export function toResync(resync: ResyncProgress): z.infer<typeof resyncSchema> {
  return {
    id: resync.id,
    deploymentId: resync.deploymentId,
    requestId: resync.requestId,
    requestedBy: resync.requestedBy,
    selection: resync.selection,
    executionId: resync.executionId,
    workflowId: resync.workflowId,
    status: resync.status,
    total: resync.total,
    pending: resync.pending,
    succeeded: resync.succeeded,
    failed: resync.failed,
    createdAt: toIso(resync.createdAt),
    finishedAt: toIsoOrNull(resync.finishedAt),
  };
}

export function toResyncItem(item: ResyncItem) {
  return {
    sourceId: item.sourceId,
    status: item.status,
    error: item.error,
    finishedAt: toIsoOrNull(item.finishedAt),
  };
}
