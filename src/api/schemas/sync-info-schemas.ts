import { z } from 'zod';
import { MAX_AUTO_RETRIES, recordStatuses } from '../../domain/ledger';
import type { LedgerRecord } from '../../domain/record';
import type { SyncInfoService } from '../../services/sync-info-service';
import {
  environmentStatusSchema,
  limitSchema,
  sourceIdTextSchema,
  timestampSchema,
  toAgents,
  toIsoOrNull,
} from './common-schemas';

/** `Failed,Unprocessed`, or the parameter repeated. */
const statusListSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => [value].flat().flatMap((item) => item.split(',')))
  .pipe(z.array(z.enum(recordStatuses)))
  .describe(`comma-separated: ${recordStatuses.join(', ')}`);

export const syncInfoQuerySchema = z.strictObject({
  status: statusListSchema.optional(),
  node: z.string().min(1).max(100).optional().describe('node name, exact'),
  sourceId: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe('substring of the source id, case-insensitive; % and _ match themselves'),
  limit: limitSchema,
  after: sourceIdTextSchema.optional().describe('the nextAfter of the previous page'),
});

export const syncInfoRecordSchema = z
  .object({
    sourceId: z.string(),
    nodeName: z.string(),
    status: z.enum(recordStatuses),
    lastAttemptAt: timestampSchema.nullable(),
    lastAttemptKind: z.enum(['main', 'retry', 'resync']).nullable(),
    lastExecutionId: z.number().int().nullable(),
    tries: z.number().int(),
    nextRetryAt: timestampSchema.nullable(),
    autoRetriesLeft: z
      .number()
      .int()
      .describe(`automatic retries left in the record's lifecycle, of ${MAX_AUTO_RETRIES}`),
    retryState: z
      .string()
      .nullable()
      .describe('automatic retry: null (none), waiting, claimed, exhausted or paused'),
    lastError: z.string().nullable(),
    lastErrorNode: z.string().nullable(),
  })
  .meta({ id: 'SyncInfoRecord' });

export const syncInfoSchema = z
  .object({
    deploymentId: z.string(),
    processflowName: z.string(),
    version: z.number().int(),
    description: z.string(),
    deploymentStatus: z.enum(['deployed', 'undeployed']),
    environment: environmentStatusSchema,
    records: z.array(syncInfoRecordSchema),
    nextAfter: z.string().nullable().describe('pass as `after` for the next page; null: last page'),
  })
  .meta({ id: 'SyncInfo' });

export function toSyncInfoRecord(record: LedgerRecord): z.infer<typeof syncInfoRecordSchema> {
  return {
    sourceId: record.sourceId,
    nodeName: record.nodeName,
    status: record.status,
    lastAttemptAt: toIsoOrNull(record.lastAttemptAt),
    lastAttemptKind: record.lastAttemptKind,
    lastExecutionId: record.lastExecutionId,
    tries: record.tries,
    nextRetryAt: toIsoOrNull(record.nextRetryAt),
    autoRetriesLeft: Math.max(0, MAX_AUTO_RETRIES - record.autoRetriesUsed),
    retryState: record.retryState,
    lastError: record.lastError,
    lastErrorNode: record.lastErrorNode,
  };
}

export function toSyncInfo(
  info: Awaited<ReturnType<SyncInfoService['syncInfo']>>,
): z.infer<typeof syncInfoSchema> {
  const { deployment } = info;
  return {
    deploymentId: deployment.id,
    processflowName: deployment.processflowName,
    version: deployment.version,
    description: info.description,
    deploymentStatus: deployment.status,
    environment: { ...info.environment, agents: toAgents(info.environment.agents) },
    records: info.records.map(toSyncInfoRecord),
    nextAfter: info.nextAfter,
  };
}
