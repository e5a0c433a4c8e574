import { z } from 'zod';
import { attemptKinds, executionStatuses } from '../../domain/ledger';
import type { Execution } from '../../domain/execution';
import {
  limitSchema,
  numericIdSchema,
  timestampSchema,
  toIso,
  toIsoOrNull,
} from './common-schemas';
import { snapshotSchema } from './snapshot-schemas';

export const executionParamsSchema = z.object({ id: numericIdSchema.describe('execution id') });

export const executeQuerySchema = z.strictObject({
  full: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('true: read the whole source, not only what changed since the last run'),
});

export const executionListQuerySchema = z.strictObject({
  limit: limitSchema,
  before: numericIdSchema.optional().describe('the nextBefore of the previous page'),
});

export const executionSchema = z
  .object({
    id: z.number().int(),
    deploymentId: z.string(),
    seq: z.number().int().describe('n in the workflow id execution/<deployment>/<n>'),
    kind: z.enum(attemptKinds),
    workflowId: z.string().describe('find the run in the Temporal UI by this id'),
    version: z.number().int().describe('the processflow version the run uses'),
    status: z.enum(executionStatuses),
    trigger: z.string(),
    recordsFetched: z.number().int(),
    recordsSucceeded: z.number().int(),
    recordsFailed: z.number().int(),
    pages: z.number().int(),
    error: z.string().nullable(),
    startedAt: timestampSchema,
    finishedAt: timestampSchema.nullable(),
    sinceMark: z
      .string()
      .nullable()
      .describe('incremental runs: the high-water mark the run fetched changes after'),
    reachedMark: z
      .string()
      .nullable()
      .describe("the highest mark the run saw; the source's mark once the run completes"),
  })
  .meta({ id: 'Execution' });

export const executionListSchema = z.object({
  executions: z.array(executionSchema),
  nextBefore: z.number().int().nullable().describe('pass as `before` for the next page'),
});

export const executionSnapshotsSchema = z.object({
  execution: executionSchema,
  snapshots: z.array(snapshotSchema).describe('in source-id order'),
  nextAfter: z.string().nullable().describe('pass as `after` for the next page'),
});

export function toExecution(execution: Execution): z.infer<typeof executionSchema> {
  return {
    id: execution.id,
    deploymentId: execution.deploymentId,
    seq: execution.seq,
    kind: execution.kind,
    workflowId: execution.workflowId,
    version: execution.version,
    status: execution.status,
    trigger: execution.trigger,
    recordsFetched: execution.recordsFetched,
    recordsSucceeded: execution.recordsSucceeded,
    recordsFailed: execution.recordsFailed,
    pages: execution.pages,
    error: execution.error,
    startedAt: toIso(execution.startedAt),
    finishedAt: toIsoOrNull(execution.finishedAt),
    sinceMark: execution.sinceMark,
    reachedMark: execution.reachedMark,
  };
}
